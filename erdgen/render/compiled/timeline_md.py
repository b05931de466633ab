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
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.heading')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'timeline.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.intro', n=t_3((undefined(name='page') if l_0_page is missing else l_0_page))))
    yield '\n\n<input type="search" class="erdgen-filter" data-erdgen-filter="erdgen-timeline" placeholder="'
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
        yield str((t_4(t_2(context.eval_ctx, environment.getattr(l_1_e, 'changed'), '<br>')) if environment.getattr(l_1_e, 'changed') else t_4((context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'joined'), environment.getattr(l_1_e, 'summary'), 'summary.', _loop_vars=_loop_vars) if environment.getattr(l_1_e, 'summary') else context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.no_changes', _loop_vars=_loop_vars)))))
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
debug_info = '1=44&2=46&3=49&5=51&7=53&11=57&13=61&14=65'
SOURCE_KEY = '52df974b6bfe2badcc29dd46f6f8b1d0060bb33ac333a11a33ff8bdcc30cf2f4'
