# Made by `python -m erdgen.render.precompiled` from templates/index.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_title_text = resolve('title_text')
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
        t_2 = environment.filters['md_text']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'md_text' found.")
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.heading', title=(undefined(name='title_text') if l_0_title_text is missing else l_0_title_text))))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'index.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.heading', title=t_2((undefined(name='title_text') if l_0_title_text is missing else l_0_title_text))))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.intro'))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'joined'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'count.'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'latest'):
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.latest', migration=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'latest')))
        yield '\n\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.tables'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'tables'):
        pass
        yield '<div class="erdgen-list" markdown="1">\n\n| '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.table'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.columns'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.description'))
        yield ' |\n|---|--:|---|\n'
        for l_1_s in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'tables'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.getattr(l_1_s, 'link'))
            yield ' | '
            yield str(environment.getattr(l_1_s, 'columns'))
            yield ' | '
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'cell_description'), environment.getattr(l_1_s, 'description'), _loop_vars=_loop_vars))
            yield ' |\n'
        l_1_s = missing
        yield '\n</div>\n\n'
    else:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.no_tables'))
        yield '\n'
    yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'diagrams'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.diagram'))
        yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'diagrams'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'diagrams'), environment.getattr((undefined(name='legends') if l_0_legends is missing else l_0_legends), 'schema')))
        yield '\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'dropped_tables'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.dropped_tables'))
        yield '\n\n'
        for l_1_s in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'dropped_tables'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(environment.getattr(l_1_s, 'link'))
            yield '\n'
        l_1_s = missing
        yield '\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.more'))
    yield '\n\n- ['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'timeline.heading'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'timeline'))
    yield ')\n- ['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'objects.heading'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'objects'))
    yield ')\n- ['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.heading'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'dropped'))
    yield ')\n'

blocks = {}
debug_info = '1=28&2=30&3=33&5=35&7=37&9=39&10=41&13=44&15=46&18=49&20=55&21=59&27=69&30=72&31=75&33=77&35=79&36=82&38=84&39=88&43=93&45=95&46=99&47=103'
SOURCE_KEY = '41eddd63622cc95cc3e952eff0c43914f63475924d633908b40cef9c0b51ec9c'
