# Made by `python -m erdgen.render.precompiled` from templates/migration.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'migration.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_page = resolve('page')
    l_0_t = resolve('t')
    l_0_legends = resolve('legends')
    l_0_m = missing
    try:
        t_1 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_2 = environment.filters['fence']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'fence' found.")
    try:
        t_3 = environment.filters['front_matter']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'front_matter' found.")
    try:
        t_4 = environment.filters['indent4']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'indent4' found.")
    try:
        t_5 = environment.filters['title']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'title' found.")
    pass
    yield str(t_3(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'title'), boost=0.5))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'migration.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'heading'))
    yield '\n\n['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.timeline'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'timeline'))
    yield ')'
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'previous'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.previous', migration=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'previous')))
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'next'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.next', migration=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'next')))
    yield '\n\n'
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'description'), 'markdown'):
        pass
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'description')))
        yield '\n\n'
    yield '**'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.summary'))
    yield ':** '
    yield str((context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'joined'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'summary'), 'summary.') if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'summary') else context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.no_changes')))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'destructive'):
        pass
        yield '!!! danger "'
        yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.destructive_title')))
        yield '"\n    '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.destructive_text'))
        yield '\n\n'
        for (l_1_label, l_1_line) in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'destructive'):
            _loop_vars = {}
            pass
            yield '    - '
            if l_1_label:
                pass
                yield str(l_1_label)
                yield ': '
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'change'), l_1_line, _loop_vars=_loop_vars))
            yield '\n'
        l_1_label = l_1_line = missing
        yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'groups'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.changes'))
        yield '\n\n'
        for l_1_g in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'groups'):
            _loop_vars = {}
            pass
            if environment.getattr(l_1_g, 'label'):
                pass
                yield '- '
                yield str(environment.getattr(l_1_g, 'label'))
                yield '\n'
                for l_2_line in environment.getattr(l_1_g, 'lines'):
                    _loop_vars = {}
                    pass
                    yield '    - '
                    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'change'), l_2_line, _loop_vars=_loop_vars))
                    yield '\n'
                    for l_3_d in environment.getattr(l_2_line, 'details'):
                        _loop_vars = {}
                        pass
                        yield '        - '
                        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'change'), l_3_d, _loop_vars=_loop_vars))
                        yield '\n'
                    l_3_d = missing
                l_2_line = missing
            else:
                pass
                for l_2_line in environment.getattr(l_1_g, 'lines'):
                    _loop_vars = {}
                    pass
                    yield '- '
                    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'change'), l_2_line, _loop_vars=_loop_vars))
                    yield '\n'
                l_2_line = missing
        l_1_g = missing
        yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'objects'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.objects'))
        yield '\n\n'
        for l_1_c in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'objects'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('pg_change.', environment.getattr(l_1_c, 'kind'), )), _loop_vars=_loop_vars, **environment.getattr(l_1_c, 'params')))
            yield '\n'
        l_1_c = missing
        yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'from_engine'):
        pass
        yield '!!! note "'
        yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.from_engine_title')))
        yield '"\n    '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.from_engine_text'))
        yield '\n\n'
        for (l_1_kind, l_1_name) in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'from_engine'):
            _loop_vars = {}
            pass
            yield '    - '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('kind.', l_1_kind, )), _loop_vars=_loop_vars))
            yield ' '
            yield str(l_1_name)
            yield '\n'
        l_1_kind = l_1_name = missing
        yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'skipped'):
        pass
        yield '!!! warning "'
        yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.skipped_title')))
        yield '"\n    '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.skipped_text'))
        yield '\n\n'
        for l_1_s in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'skipped'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.skipped_item', line=environment.getattr(l_1_s, 'line'), reason=t_1(environment.getattr(l_1_s, 'reason')), _loop_vars=_loop_vars))
            yield '\n\n'
            yield str(t_4(t_2(environment.getattr(l_1_s, 'sql'))))
            yield '\n\n'
        l_1_s = missing
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'diagrams'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.diagram'))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'diagrams'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'diagrams'), environment.getattr((undefined(name='legends') if l_0_legends is missing else l_0_legends), 'migration')))
        yield '\n<small>'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.diagram_scope', overview=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'overview')))
        yield '</small>\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'data'):
        pass
        yield '<div class="erdgen-sql" data-search-exclude="" markdown="1">\n\n??? info "'
        yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.data_title')))
        yield '"\n'
        for l_1_d in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'data'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.data_item', verb=t_1(environment.getattr(l_1_d, 'verb')), table=environment.getattr(l_1_d, 'table'), _loop_vars=_loop_vars))
            yield '\n\n'
            yield str(t_4(t_2(environment.getattr(l_1_d, 'sql'))))
            yield '\n\n'
        l_1_d = missing
        yield '\n</div>\n\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.sql'))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sql_fold'), context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.source', path=t_1(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'path'))), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sql')))
    yield '\n---\n\n['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.timeline'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'timeline'))
    yield ')'
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'previous'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.previous', migration=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'previous')))
    if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'next'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'migration.next', migration=environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'next')))
    yield '\n'

blocks = {}
debug_info = '2=45&3=47&4=50&6=52&9=65&10=67&13=70&15=74&16=77&17=79&19=81&20=85&24=93&25=96&27=98&28=101&29=104&30=106&31=110&32=112&33=116&37=122&38=126&44=131&45=134&47=136&48=140&52=144&53=147&54=149&56=151&57=155&61=161&62=164&63=166&65=168&66=172&68=174&72=177&73=180&75=182&76=184&78=186&81=189&82=191&83=195&85=197&92=202&94=204&97=206'
SOURCE_KEY = '57cbced1f60a0c4b8fb187a9adeea57c8c0430c9c2250d22ef35f50b2d81c59a'
