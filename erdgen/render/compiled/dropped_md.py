# Made by `python -m erdgen.render.precompiled` from templates/dropped.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'dropped.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_t = resolve('t')
    l_0_page = resolve('page')
    try:
        t_1 = environment.filters['front_matter']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'front_matter' found.")
    try:
        t_2 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.heading')))
    yield '\n# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.intro'))
    yield '\n\n'
    if (undefined(name='page') if l_0_page is missing else l_0_page):
        pass
        yield '<div class="erdgen-list" markdown="1">\n\n| '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.kind'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.name'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.migration'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.data'))
        yield ' |\n|---|---|---|---|\n'
        for l_1_d in (undefined(name='page') if l_0_page is missing else l_0_page):
            _loop_vars = {}
            pass
            yield '| '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), str_join(('kind.', environment.getattr(l_1_d, 'kind'), )), _loop_vars=_loop_vars))
            yield ' | '
            yield str(environment.getattr(l_1_d, 'name'))
            if environment.getattr(l_1_d, 'columns'):
                pass
                yield '<br><small>'
                yield str(t_2(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.columns', columns=environment.getattr(l_1_d, 'columns'), _loop_vars=_loop_vars)))
                yield '</small>'
            yield ' | '
            yield str(t_2(environment.getattr(l_1_d, 'migration')))
            yield ' | '
            yield str((context.call((undefined(name='t') if l_0_t is missing else l_0_t), ('dropped.copied_partly_into' if environment.getattr(l_1_d, 'partly') else 'dropped.copied_into'), into=environment.getattr(l_1_d, 'copied_into'), _loop_vars=_loop_vars) if environment.getattr(l_1_d, 'copied_into') else (context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.data_gone', _loop_vars=_loop_vars) if (environment.getattr(l_1_d, 'kind') in ('table', 'column')) else '')))
            yield ' |\n'
        l_1_d = missing
        yield '\n</div>\n'
    else:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.none'))
        yield '\n'

blocks = {}
debug_info = '1=25&2=27&4=29&6=31&9=34&11=42&12=46&17=63'
SOURCE_KEY = 'd92bccfbc99f8f721a185f7a3c1c2ff607bb1bfb0e4085b013ca9359e72c6594'
