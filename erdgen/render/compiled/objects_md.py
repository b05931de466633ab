# Made by `python -m erdgen.render.precompiled` from templates/objects.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'objects.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_page = resolve('page')
    l_0_m = l_0_views = l_0_triggers = missing
    try:
        t_1 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_2 = environment.filters['front_matter']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'front_matter' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    pass
    yield str(t_2(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.heading')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'objects.md.j2').make_module(context.get_all(), True, {'m': l_0_m, 'triggers': l_0_triggers, 'views': l_0_views})
    context.exported_vars.discard('m')
    (l_0_views, l_0_triggers) = (undefined(name='page') if l_0_page is missing else l_0_page)
    context.vars.update({'triggers': l_0_triggers, 'views': l_0_views})
    context.exported_vars.update(('triggers', 'views'))
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.heading'))
    yield '\n\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.views'))
    yield '\n\n'
    t_4 = 1
    for l_1_o in (undefined(name='views') if l_0_views is missing else l_0_views):
        _loop_vars = {}
        pass
        yield '### '
        yield str(environment.getattr(l_1_o, 'name'))
        yield ' { #'
        yield str(environment.getattr(l_1_o, 'anchor'))
        yield ' }\n\n'
        if environment.getattr(environment.getattr(l_1_o, 'description'), 'markdown'):
            pass
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_o, 'description'), _loop_vars=_loop_vars))
            yield '\n\n'
        if environment.getattr(l_1_o, 'reads'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.reads', tables=t_3(context.eval_ctx, environment.getattr(l_1_o, 'reads'), ', '), _loop_vars=_loop_vars))
            yield '\n\n'
        if environment.getattr(l_1_o, 'columns'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.columns', columns=t_3(context.eval_ctx, environment.getattr(l_1_o, 'columns'), ', '), _loop_vars=_loop_vars))
            yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'history_table'), environment.getattr(l_1_o, 'history'), _loop_vars=_loop_vars))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sql_fold'), context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.definition', _loop_vars=_loop_vars), environment.getattr(l_1_o, 'sql'), _loop_vars=_loop_vars))
        yield '\n'
        t_4 = 0
    l_1_o = missing
    if t_4:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.no_views'))
        yield '\n\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.triggers'))
    yield '\n\n'
    t_5 = 1
    for l_1_o in (undefined(name='triggers') if l_0_triggers is missing else l_0_triggers):
        _loop_vars = {}
        pass
        yield '### '
        yield str(environment.getattr(l_1_o, 'name'))
        yield ' { #'
        yield str(environment.getattr(l_1_o, 'anchor'))
        yield ' }\n\n'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.trigger_on', table=environment.getattr(l_1_o, 'table'), detail=t_1(environment.getattr(l_1_o, 'detail')), _loop_vars=_loop_vars))
        yield '\n\n'
        if environment.getattr(environment.getattr(l_1_o, 'description'), 'markdown'):
            pass
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_o, 'description'), _loop_vars=_loop_vars))
            yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'history_table'), environment.getattr(l_1_o, 'history'), _loop_vars=_loop_vars))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sql_fold'), context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.definition', _loop_vars=_loop_vars), environment.getattr(l_1_o, 'sql'), _loop_vars=_loop_vars))
        yield '\n'
        t_5 = 0
    l_1_o = missing
    if t_5:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.no_triggers'))
        yield '\n'

blocks = {}
debug_info = '1=32&2=34&3=36&4=40&6=42&8=45&9=49&11=53&12=55&15=57&16=59&19=61&20=63&23=65&25=67&27=73&30=76&32=79&33=83&35=87&37=89&38=91&41=93&43=95&45=101'
SOURCE_KEY = 'e617df177d684dfc07b177fa9bcf387481252c6ee6ef95b986eb749efddf88bb'
