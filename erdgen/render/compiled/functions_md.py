# Made by `python -m erdgen.render.precompiled` from templates/functions.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'functions.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_page = resolve('page')
    l_0_m = missing
    try:
        t_1 = environment.filters['front_matter']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'front_matter' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.heading')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'functions.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.intro'))
    yield '\n\n'
    t_3 = 1
    for l_1_f in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'functions'):
        _loop_vars = {}
        pass
        yield '## '
        yield str(environment.getattr(l_1_f, 'signature'))
        yield ' { #'
        yield str(environment.getattr(l_1_f, 'anchor'))
        yield ' }\n\n'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('functions.kind_', environment.getattr(l_1_f, 'kind'), )), _loop_vars=_loop_vars))
        if environment.getattr(l_1_f, 'returns'):
            pass
            yield ' · '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.returns', type=environment.getattr(l_1_f, 'returns'), _loop_vars=_loop_vars))
        if environment.getattr(l_1_f, 'language'):
            pass
            yield ' · '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.language', language=environment.getattr(l_1_f, 'language'), _loop_vars=_loop_vars))
        yield '\n\n'
        if environment.getattr(environment.getattr(l_1_f, 'description'), 'markdown'):
            pass
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_f, 'description'), _loop_vars=_loop_vars))
            yield '\n\n'
        if environment.getattr(l_1_f, 'triggers'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.triggers', triggers=t_2(context.eval_ctx, environment.getattr(l_1_f, 'triggers'), ', '), _loop_vars=_loop_vars))
            yield '\n\n'
        t_3 = 0
    l_1_f = missing
    if t_3:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.none'))
        yield '\n'

blocks = {}
debug_info = '1=26&2=28&3=31&5=33&7=36&8=40&10=44&13=54&14=56&17=58&18=60&22=66'
SOURCE_KEY = 'a4d07e9673c88046ef08989b3edb83a03792e1ff340d0688f5d1d53929102bda'
