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
    l_0_m = l_0_table_list = missing
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
        t_3 = environment.filters['md_text']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'md_text' found.")
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.title')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'index.md.j2').make_module(context.get_all(), True, {'m': l_0_m, 'table_list': l_0_table_list})
    context.exported_vars.discard('m')
    def macro(l_1_tables):
        t_4 = []
        if l_1_tables is missing:
            l_1_tables = undefined("parameter 'tables' was not provided", name='tables')
        pass
        t_4.extend((
            '<div class="erdgen-list" markdown="1">\n\n| ',
            str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.table')),
            ' | ',
            str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.columns')),
            ' | ',
            str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.description')),
            ' |\n|---|--:|---|\n',
        ))
        for l_2_s in l_1_tables:
            _loop_vars = {}
            pass
            t_4.extend((
                '| ',
                str(environment.getattr(l_2_s, 'link')),
                ' | ',
                str(environment.getattr(l_2_s, 'columns')),
                ' | ',
                str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'cell_description'), environment.getattr(l_2_s, 'description'), _loop_vars=_loop_vars)),
                ' |\n',
            ))
        l_2_s = missing
        t_4.append(
            '\n</div>\n\n',
        )
        return concat(t_4)
    context.exported_vars.add('table_list')
    context.vars['table_list'] = l_0_table_list = Macro(environment, macro, 'table_list', ('tables',), False, False, False, context.eval_ctx.autoescape)
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.heading', title=t_3((undefined(name='title_text') if l_0_title_text is missing else l_0_title_text))))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.intro'))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'joined'), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'counts'), 'count.'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'):
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.schemas', schemas=t_2(context.eval_ctx, environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'), 'schemas'), ', ')))
        if environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'), 'extensions'):
            pass
            yield ' · '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.extensions', extensions=t_2(context.eval_ctx, environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'), 'extensions'), ', ')))
        yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'latest'):
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.latest', migration=environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'latest')))
        yield '\n\n'
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.tables'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'schema_groups'):
        pass
        for (l_1_name, l_1_tables) in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'schema_groups'):
            _loop_vars = {}
            pass
            yield '### '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'overview.schema', schema=l_1_name, _loop_vars=_loop_vars))
            yield '\n\n'
            yield str(context.call((undefined(name='table_list') if l_0_table_list is missing else l_0_table_list), l_1_tables, _loop_vars=_loop_vars))
            yield '\n'
        l_1_name = l_1_tables = missing
    elif environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'tables'):
        pass
        yield str(context.call((undefined(name='table_list') if l_0_table_list is missing else l_0_table_list), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'tables')))
        yield '\n'
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
    yield ')\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'):
        pass
        yield '- ['
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.heading'))
        yield ']('
        yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'), 'types'))
        yield ')\n- ['
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'functions.heading'))
        yield ']('
        yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'postgres'), 'functions'))
        yield ')\n'
    yield '- ['
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'dropped.heading'))
    yield ']('
    yield str(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'links'), 'dropped'))
    yield ')\n'

blocks = {}
debug_info = '2=34&3=36&4=38&7=45&9=52&10=57&16=72&18=74&20=76&22=78&23=80&27=86&28=88&31=91&33=93&34=95&35=99&37=101&39=104&40=106&42=110&45=113&46=116&48=118&50=120&51=123&53=125&54=129&58=134&60=136&61=140&62=144&63=147&64=151&66=156'
SOURCE_KEY = '2152a3a9723310f35599d97d0b8bd7b4e98ec68fba6b37ef011003bc6257132a'
