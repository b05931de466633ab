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
    try:
        t_4 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
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
    t_5 = 1
    for l_1_o in (undefined(name='views') if l_0_views is missing else l_0_views):
        _loop_vars = {}
        pass
        yield '### '
        yield str(environment.getattr(l_1_o, 'name'))
        yield ' { #'
        yield str(environment.getattr(l_1_o, 'anchor'))
        yield ' }\n\n'
        if environment.getattr(l_1_o, 'materialized'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.materialized', _loop_vars=_loop_vars))
            yield '\n\n'
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
        t_5 = 0
    l_1_o = missing
    if t_5:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.no_views'))
        yield '\n\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.triggers'))
    yield '\n\n'
    t_6 = 1
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
        if environment.getattr(l_1_o, 'function'):
            pass
            if (environment.getattr(l_1_o, 'level') in ('ROW', 'STATEMENT')):
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.trigger_function', function=environment.getattr(l_1_o, 'function'), level=context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('objects.level_', t_4(environment.getattr(l_1_o, 'level')), )), _loop_vars=_loop_vars), _loop_vars=_loop_vars))
                yield '\n'
            else:
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.trigger_runs', function=environment.getattr(l_1_o, 'function'), _loop_vars=_loop_vars))
                yield '\n'
            yield '\n'
        if environment.getattr(environment.getattr(l_1_o, 'description'), 'markdown'):
            pass
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_o, 'description'), _loop_vars=_loop_vars))
            yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'history_table'), environment.getattr(l_1_o, 'history'), _loop_vars=_loop_vars))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sql_fold'), context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.definition', _loop_vars=_loop_vars), environment.getattr(l_1_o, 'sql'), _loop_vars=_loop_vars))
        yield '\n'
        t_6 = 0
    l_1_o = missing
    if t_6:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.no_triggers'))
        yield '\n'

blocks = {}
debug_info = '1=38&2=40&3=42&4=46&6=48&8=51&9=55&11=59&12=61&15=63&16=65&19=67&20=69&23=71&24=73&27=75&29=77&31=83&34=86&36=89&37=93&39=97&41=99&42=101&43=103&45=107&49=110&50=112&53=114&55=116&57=122'
SOURCE_KEY = '808ef43e62d58376cd5507f56ba9e1b959a24721849b2da83373c7cc6fedbbd1'
