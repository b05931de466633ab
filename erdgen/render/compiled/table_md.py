# Made by `python -m erdgen.render.precompiled` from templates/table.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'table.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_page = resolve('page')
    l_0_legends = resolve('legends')
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
    try:
        t_3 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_4 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    try:
        t_5 = environment.filters['title']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'title' found.")
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.heading', name=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'title')), boost=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'search_boost'), tag=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'tag'), nav=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'nav_title')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'table.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.heading', name=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'name')))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'dropped'):
        pass
        yield '!!! danger "'
        yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.dropped_title')))
        yield '"\n    '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.dropped_text', migration=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'dropped_in')))
        yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'other_lives'):
        pass
        yield '!!! info "'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.other_lives_title'))
        yield '"\n'
        for l_1_other in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'other_lives'):
            _loop_vars = {}
            pass
            yield '    - '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), ('table.earlier_life' if environment.getattr(l_1_other, 'earlier') else ('table.later_life_dropped' if environment.getattr(l_1_other, 'dropped_in') else 'table.later_life')), table=environment.getattr(l_1_other, 'link'), created=environment.getattr(l_1_other, 'created_in'), dropped=environment.getattr(l_1_other, 'dropped_in'), _loop_vars=_loop_vars))
            yield '\n'
        l_1_other = missing
        yield '\n'
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'description'), 'markdown'):
        pass
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'description')))
        yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'count.columns', n=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'columns')))
    yield ' · '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'count.indexes', n=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'indexes')))
    yield ' · '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'count.foreign_keys', n=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'foreign_keys')))
    yield ' · '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'count.checks', n=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'checks')))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'lifetime'), (undefined(name='page') if l_0_page is missing else l_0_page)))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'diagrams'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'diagrams'), environment.getattr((undefined(name='legends') if l_0_legends is missing else l_0_legends), 'schema')))
    yield '\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.columns'))
    yield '\n\n<div class="erdgen-columns" markdown="1">\n\n| # | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.name'))
    yield ' | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.type'))
    yield ' | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.null'))
    yield ' · '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.default'))
    yield ' | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.keys'))
    yield ' | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.description'))
    yield ' |\n|--:|---|---|---|---|---|\n'
    for l_1_c in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'columns'):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_c, 'position'))
        yield ' | <a id="'
        yield str(environment.getattr(l_1_c, 'anchor'))
        yield '"></a>'
        yield str(environment.getattr(l_1_c, 'name'))
        yield ' | '
        yield str(environment.getattr(l_1_c, 'type'))
        yield ' | <span class="erdgen-label">'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.null', _loop_vars=_loop_vars))
        yield ':</span> '
        yield str((context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'common.yes', _loop_vars=_loop_vars) if environment.getattr(l_1_c, 'nullable') else context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'common.no', _loop_vars=_loop_vars)))
        if environment.getattr(l_1_c, 'default'):
            pass
            yield ' · <span class="erdgen-label">'
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.default', _loop_vars=_loop_vars))
            yield ':</span> '
            yield str(environment.getattr(l_1_c, 'default'))
        yield ' | '
        yield str(t_4(t_2(context.eval_ctx, environment.getattr(l_1_c, 'keys'), ', ')))
        yield ' | '
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'cell_description'), environment.getattr(l_1_c, 'description'), _loop_vars=_loop_vars))
        if environment.getattr(l_1_c, 'added_in'):
            pass
            if environment.getattr(environment.getattr(l_1_c, 'description'), 'markdown'):
                pass
                yield '<br>'
            yield '<small>'
            yield str(t_4(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.added_in', migration=environment.getattr(l_1_c, 'added_in'), _loop_vars=_loop_vars)))
            yield '</small>'
        yield ' |\n'
    l_1_c = missing
    yield '\n</div>\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sources_note'), t_3(context, environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'columns'), attribute='description')))
    yield '\n\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.indexes'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'indexes'):
        pass
        yield '<div class="erdgen-list" markdown="1">\n\n| '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'index.name'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'index.columns'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'index.unique'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'index.condition'))
        yield ' |\n|---|---|---|---|\n'
        for l_1_i in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'indexes'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.getattr(l_1_i, 'name'))
            if (environment.getattr(l_1_i, 'origin') != 'c'):
                pass
                yield ' ('
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('index.origin_', environment.getattr(l_1_i, 'origin'), )), _loop_vars=_loop_vars))
                yield ')'
            yield ' | '
            yield str(environment.getattr(l_1_i, 'columns'))
            yield ' | '
            yield str((context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'common.yes', _loop_vars=_loop_vars) if environment.getattr(l_1_i, 'unique') else context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'common.no', _loop_vars=_loop_vars)))
            yield ' | '
            yield str(environment.getattr(l_1_i, 'condition'))
            yield ' |\n'
        l_1_i = missing
        yield '\n</div>\n'
    else:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.no_indexes'))
        yield '\n'
    yield '\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.foreign_keys'))
    yield '\n\n'
    t_6 = 1
    for l_1_k in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'foreign_keys'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(environment.getattr(l_1_k, 'columns'))
        yield ' → '
        yield str(environment.getattr(l_1_k, 'target'))
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'actions'), environment.getattr(l_1_k, 'actions'), _loop_vars=_loop_vars))
        yield '\n'
        t_6 = 0
    l_1_k = missing
    if t_6:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.no_foreign_keys'))
        yield '\n'
    yield '\n\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.constraints'))
    yield '\n\n'
    t_7 = 1
    for l_1_c in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'constraints'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('constraint.', environment.getattr(l_1_c, 'kind'), )), _loop_vars=_loop_vars))
        if environment.getattr(l_1_c, 'name'):
            pass
            yield ' '
            yield str(environment.getattr(l_1_c, 'name'))
        yield ': '
        yield str(environment.getattr(l_1_c, 'definition'))
        yield '\n'
        t_7 = 0
    l_1_c = missing
    if t_7:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.no_constraints'))
        yield '\n'
    yield '\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.triggers'))
    yield '\n\n'
    t_8 = 1
    for l_1_trigger in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'triggers'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(l_1_trigger)
        yield '\n'
        t_8 = 0
    l_1_trigger = missing
    if t_8:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.no_triggers'))
        yield '\n'
    yield '\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.referenced_by'))
    yield '\n\n'
    t_9 = 1
    for l_1_reference in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'referenced_by'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(l_1_reference)
        yield '\n'
        t_9 = 0
    l_1_reference = missing
    if t_9:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.not_referenced'))
        yield '\n'
    yield '\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.history'))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'history_table'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'history')))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sql'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'table.definition'))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sql_fold'), context.call((undefined(name='t') if l_0_t is missing else l_0_t), ('table.definition_fold_printed' if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sql_printed') else 'table.definition_fold')), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sql')))
        yield '\n'

blocks = {}
debug_info = '2=45&3=47&4=50&6=52&7=55&8=57&11=59&12=62&13=64&14=68&18=72&19=74&22=76&24=84&26=86&27=88&31=90&33=102&34=106&39=138&41=140&43=142&46=145&48=153&49=157&54=174&57=177&59=180&60=184&62=193&66=196&68=199&69=203&71=215&74=218&76=221&77=225&79=231&82=234&84=237&85=241&87=247&90=250&92=252&94=254&95=257&97=259'
SOURCE_KEY = 'fc9d5bcb5b0ad96c005c7648222f37cf1c7bec729acdc52228db4868645c7811'
