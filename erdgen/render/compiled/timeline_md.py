# Made by `python -m erdgen.render.precompiled` from templates/timeline.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'timeline.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_page = resolve('page')
    l_0_legends = resolve('legends')
    l_0_m = l_0_nb = l_0_named = l_0_changed = missing
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
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
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
    yield str(t_2(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.heading')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'timeline.md.j2').make_module(context.get_all(), True, {'changed': l_0_changed, 'm': l_0_m, 'named': l_0_named, 'nb': l_0_nb})
    context.exported_vars.discard('m')
    l_0_nb = '\xa0'
    context.vars['nb'] = l_0_nb
    context.exported_vars.add('nb')
    def macro(l_1_i):
        t_6 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        if environment.getattr(l_1_i, 'mark'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_i, 'mark')),
                str((undefined(name='nb') if l_0_nb is missing else l_0_nb)),
            ))
        if environment.getattr(l_1_i, 'kind'):
            pass
            t_6.extend((
                str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('timeline.object.', environment.getattr(l_1_i, 'kind'), )))),
                str((undefined(name='nb') if l_0_nb is missing else l_0_nb)),
            ))
        t_6.append(
            str(environment.getattr(l_1_i, 'name')),
        )
        if environment.getattr(l_1_i, 'into'):
            pass
            t_6.extend((
                str((undefined(name='nb') if l_0_nb is missing else l_0_nb)),
                '→ ',
                str(environment.getattr(l_1_i, 'into')),
            ))
        if environment.getattr(l_1_i, 'note'):
            pass
            t_6.extend((
                ' (',
                str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('timeline.note.', environment.getattr(l_1_i, 'note'), )))),
                ')',
            ))
        return concat(t_6)
    context.exported_vars.add('named')
    context.vars['named'] = l_0_named = Macro(environment, macro, 'named', ('i',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_e):
        t_7 = []
        if l_1_e is missing:
            l_1_e = undefined("parameter 'e' was not provided", name='e')
        pass
        l_2_loop = missing
        for l_2_line, l_2_loop in LoopContext(environment.getattr(l_1_e, 'changed'), undefined):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_line, 'table'):
                pass
                t_7.append(
                    str(context.call((undefined(name='named') if l_0_named is missing else l_0_named), environment.getattr(l_2_line, 'table'), _loop_vars=_loop_vars)),
                )
                if environment.getattr(l_2_line, 'items'):
                    pass
                    t_7.append(
                        ': ',
                    )
            l_3_loop = missing
            for l_3_i, l_3_loop in LoopContext(environment.getattr(l_2_line, 'items'), undefined):
                _loop_vars = {}
                pass
                t_7.append(
                    str(context.call((undefined(name='named') if l_0_named is missing else l_0_named), l_3_i, _loop_vars=_loop_vars)),
                )
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_7.append(
                        ', ',
                    )
            l_3_loop = l_3_i = missing
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_7.append(
                    '<br>',
                )
        l_2_loop = l_2_line = missing
        def t_8(fiter):
            for (l_2_key, l_2_n) in fiter:
                if (l_2_key == 'objects'):
                    yield (l_2_key, l_2_n)
        for (l_2_key, l_2_n) in t_8(environment.getattr(l_1_e, 'summary')):
            _loop_vars = {}
            pass
            t_7.extend((
                '<br>',
                str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'summary.objects', n=l_2_n, _loop_vars=_loop_vars)),
            ))
        l_2_key = l_2_n = missing
        return concat(t_7)
    context.exported_vars.add('changed')
    context.vars['changed'] = l_0_changed = Macro(environment, macro, 'changed', ('e',), False, False, False, context.eval_ctx.autoescape)
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.intro', n=t_3((undefined(name='page') if l_0_page is missing else l_0_page))))
    yield '\n\n<small>'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'legend.heading'))
    yield ': '
    l_1_loop = missing
    for l_1_item, l_1_loop in LoopContext(environment.getattr((undefined(name='legends') if l_0_legends is missing else l_0_legends), 'timeline'), undefined):
        _loop_vars = {}
        pass
        yield str(t_1(environment.getattr(l_1_item, 'symbol')))
        yield ' '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('legend.', environment.getattr(l_1_item, 'key'), )), _loop_vars=_loop_vars))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ' · '
    l_1_loop = l_1_item = missing
    yield '</small>\n\n<input type="search" class="erdgen-filter" data-erdgen-filter="erdgen-timeline" placeholder="'
    yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.filter')))
    yield '" aria-label="'
    yield str(t_5(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.filter')))
    yield '">\n\n<div class="erdgen-timeline erdgen-list" markdown="1">\n\n| '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'history.migration'))
    yield ' | '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.changed'))
    yield ' | |\n|---|---|---|\n'
    for l_1_e in (undefined(name='page') if l_0_page is missing else l_0_page):
        _loop_vars = {}
        pass
        yield '| <a id="'
        yield str(environment.getattr(l_1_e, 'anchor'))
        yield '"></a>['
        yield str(t_4(environment.getattr(l_1_e, 'heading')))
        yield ']('
        yield str(environment.getattr(l_1_e, 'link'))
        yield ')'
        if environment.getattr(l_1_e, 'date'):
            pass
            yield '<br><small>'
            yield str(t_4(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.committed', date=environment.getattr(l_1_e, 'date'), _loop_vars=_loop_vars)))
            yield '</small>'
        if environment.getattr(environment.getattr(l_1_e, 'description'), 'markdown'):
            pass
            yield '<br><small>'
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'cell_description'), environment.getattr(l_1_e, 'description'), _loop_vars=_loop_vars))
            yield '</small>'
        yield ' | '
        yield str((t_4(context.call((undefined(name='changed') if l_0_changed is missing else l_0_changed), l_1_e, _loop_vars=_loop_vars)) if environment.getattr(l_1_e, 'changed') else t_4((context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'joined'), environment.getattr(l_1_e, 'summary'), 'summary.', _loop_vars=_loop_vars) if environment.getattr(l_1_e, 'summary') else context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.no_changes', _loop_vars=_loop_vars)))))
        yield ' | '
        if environment.getattr(l_1_e, 'destructive'):
            pass
            yield '⚠️ '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'common.destructive', _loop_vars=_loop_vars))
        if (environment.getattr(l_1_e, 'destructive') and environment.getattr(l_1_e, 'data')):
            pass
            yield '<br>'
        if environment.getattr(l_1_e, 'data'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.data_flag', _loop_vars=_loop_vars))
        if environment.getattr(l_1_e, 'skipped'):
            pass
            if (environment.getattr(l_1_e, 'destructive') or environment.getattr(l_1_e, 'data')):
                pass
                yield '<br>'
            yield '⚠️ '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.skipped_flag', n=environment.getattr(l_1_e, 'skipped'), _loop_vars=_loop_vars))
        if environment.getattr(l_1_e, 'from_engine'):
            pass
            if ((environment.getattr(l_1_e, 'destructive') or environment.getattr(l_1_e, 'data')) or environment.getattr(l_1_e, 'skipped')):
                pass
                yield '<br>'
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.from_engine_flag', n=environment.getattr(l_1_e, 'from_engine'), _loop_vars=_loop_vars))
        yield ' |\n'
    l_1_e = missing
    yield '\n</div>\n'

blocks = {}
debug_info = '1=45&2=47&4=49&5=52&6=57&8=89&9=95&11=127&13=143&15=145&17=147&19=161&23=165&25=169&26=173'
SOURCE_KEY = '54cda022ff457fb66cb3aa0db3bdab406e8b2fbc26d8f02c7dffb66396627bca'
