# Made by `python -m erdgen.render.precompiled` from templates/types.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'types.md.j2'

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
    pass
    yield str(t_1(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.heading')))
    yield '\n'
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'types.md.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.intro'))
    yield '\n\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.enums'))
    yield '\n\n'
    l_1_loop = missing
    t_5 = 1
    for l_1_e, l_1_loop in LoopContext(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'enums'), undefined):
        _loop_vars = {}
        pass
        yield '### '
        yield str(environment.getattr(l_1_e, 'name'))
        yield ' { #'
        yield str(environment.getattr(l_1_e, 'anchor'))
        yield ' }\n\n'
        if environment.getattr(environment.getattr(l_1_e, 'description'), 'markdown'):
            pass
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_e, 'description'), _loop_vars=_loop_vars))
            yield '\n\n'
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'lifetime'), l_1_e, _loop_vars=_loop_vars))
        yield '\n\n'
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.values', n=t_3(environment.getattr(l_1_e, 'values')), _loop_vars=_loop_vars))
        yield '\n\n'
        l_2_loop = missing
        for l_2_value, l_2_loop in LoopContext(environment.getattr(l_1_e, 'values'), undefined):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_2_loop, 'index'))
            yield '. '
            yield str(l_2_value)
            yield '\n'
        l_2_loop = l_2_value = missing
        yield '\n'
        if environment.getattr(l_1_e, 'used_by'):
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.used_by', columns=t_2(context.eval_ctx, environment.getattr(l_1_e, 'used_by'), ', '), _loop_vars=_loop_vars))
            yield '\n'
        else:
            pass
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.unused', _loop_vars=_loop_vars))
            yield '\n'
        yield '\n'
        t_5 = 0
    l_1_loop = l_1_e = missing
    if t_5:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.no_enums'))
        yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'domains'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.domains'))
        yield '\n\n'
        for l_1_d in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'domains'):
            _loop_vars = {}
            pass
            yield '### '
            yield str(environment.getattr(l_1_d, 'name'))
            yield ' { #'
            yield str(environment.getattr(l_1_d, 'anchor'))
            yield ' }\n\n'
            if environment.getattr(environment.getattr(l_1_d, 'description'), 'markdown'):
                pass
                yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_d, 'description'), _loop_vars=_loop_vars))
                yield '\n\n'
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'lifetime'), l_1_d, _loop_vars=_loop_vars))
            yield '\n\n- '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.base_type', type=environment.getattr(l_1_d, 'base_type'), _loop_vars=_loop_vars))
            if environment.getattr(l_1_d, 'not_null'):
                pass
                yield ' · NOT NULL'
            yield '\n'
            if environment.getattr(l_1_d, 'default'):
                pass
                yield '- '
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.default', default=environment.getattr(l_1_d, 'default'), _loop_vars=_loop_vars))
                yield '\n'
            if environment.getattr(l_1_d, 'checks'):
                pass
                yield '- '
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.checks', checks=t_2(context.eval_ctx, environment.getattr(l_1_d, 'checks'), ', '), _loop_vars=_loop_vars))
                yield '\n'
            yield '\n'
            if environment.getattr(l_1_d, 'used_by'):
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.used_by', columns=t_2(context.eval_ctx, environment.getattr(l_1_d, 'used_by'), ', '), _loop_vars=_loop_vars))
                yield '\n'
            else:
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.unused', _loop_vars=_loop_vars))
                yield '\n'
            yield '\n'
        l_1_d = missing
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'composites'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.composites'))
        yield '\n\n'
        for l_1_c in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'composites'):
            _loop_vars = {}
            pass
            yield '### '
            yield str(environment.getattr(l_1_c, 'name'))
            yield ' { #'
            yield str(environment.getattr(l_1_c, 'anchor'))
            yield ' }\n\n'
            if environment.getattr(environment.getattr(l_1_c, 'description'), 'markdown'):
                pass
                yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_c, 'description'), _loop_vars=_loop_vars))
                yield '\n\n'
            yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'lifetime'), l_1_c, _loop_vars=_loop_vars))
            yield '\n\n| '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.attribute', _loop_vars=_loop_vars))
            yield ' | '
            yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.type', _loop_vars=_loop_vars))
            yield ' |\n|---|---|\n'
            for (l_2_name, l_2_type) in environment.getattr(l_1_c, 'attributes'):
                _loop_vars = {}
                pass
                yield '| '
                yield str(t_4(l_2_name))
                yield ' | '
                yield str(t_4(l_2_type))
                yield ' |\n'
            l_2_name = l_2_type = missing
            yield '\n'
            if environment.getattr(l_1_c, 'used_by'):
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.used_by', columns=t_2(context.eval_ctx, environment.getattr(l_1_c, 'used_by'), ', '), _loop_vars=_loop_vars))
                yield '\n'
            else:
                pass
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.unused', _loop_vars=_loop_vars))
                yield '\n'
            yield '\n'
        l_1_c = missing
    yield '## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.sequences'))
    yield '\n\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sequences'):
        pass
        yield '<div class="erdgen-list" markdown="1">\n\n| '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.sequence'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'column.type'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.start'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.increment'))
        yield ' | '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.owned_by'))
        yield ' |\n|---|---|--:|--:|---|\n'
        for l_1_s in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'sequences'):
            _loop_vars = {}
            pass
            yield '| <a id="'
            yield str(environment.getattr(l_1_s, 'anchor'))
            yield '"></a>'
            yield str(environment.getattr(l_1_s, 'name'))
            yield ' | '
            yield str(environment.getattr(l_1_s, 'type'))
            yield ' | '
            yield str(environment.getattr(l_1_s, 'start'))
            yield ' | '
            yield str(environment.getattr(l_1_s, 'increment'))
            yield ' | '
            yield str(t_4(environment.getattr(l_1_s, 'owner')))
            if environment.getattr(l_1_s, 'identity'):
                pass
                yield ' ('
                yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.identity', _loop_vars=_loop_vars))
                yield ')'
            yield ' |\n'
        l_1_s = missing
        yield '\n</div>\n'
    else:
        pass
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.no_sequences'))
        yield '\n'

blocks = {}
debug_info = '1=38&2=40&3=43&5=45&7=47&9=51&10=55&12=59&13=61&16=63&18=65&20=68&21=71&24=77&25=79&27=83&31=90&34=92&35=95&37=97&38=101&40=105&41=107&44=109&46=111&48=116&49=119&51=121&52=124&55=127&56=129&58=133&63=137&64=140&66=142&67=146&69=150&70=152&73=154&75=156&77=160&78=164&81=170&82=172&84=176&89=181&91=183&94=186&96=196&97=200&102=221'
SOURCE_KEY = 'ba389963f1aac6eb2e3ac454d250ee6f5edf9a6dc8b23359db4c158fec96d188'
