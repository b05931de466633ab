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
    l_0_m = l_0_entry_head = l_0_used_by = missing
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
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'types.md.j2').make_module(context.get_all(), True, {'entry_head': l_0_entry_head, 'm': l_0_m, 'used_by': l_0_used_by})
    context.exported_vars.discard('m')
    def macro(l_1_entry):
        t_5 = []
        if l_1_entry is missing:
            l_1_entry = undefined("parameter 'entry' was not provided", name='entry')
        pass
        t_5.extend((
            '### ',
            str(environment.getattr(l_1_entry, 'name')),
            ' { #',
            str(environment.getattr(l_1_entry, 'anchor')),
            ' }\n\n',
        ))
        if environment.getattr(environment.getattr(l_1_entry, 'description'), 'markdown'):
            pass
            t_5.extend((
                str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'description'), environment.getattr(l_1_entry, 'description'))),
                '\n\n',
            ))
        t_5.append(
            str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'lifetime'), l_1_entry)),
        )
        return concat(t_5)
    context.exported_vars.add('entry_head')
    context.vars['entry_head'] = l_0_entry_head = Macro(environment, macro, 'entry_head', ('entry',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_entry):
        t_6 = []
        if l_1_entry is missing:
            l_1_entry = undefined("parameter 'entry' was not provided", name='entry')
        pass
        if environment.getattr(l_1_entry, 'used_by'):
            pass
            t_6.append(
                str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.used_by', columns=t_2(context.eval_ctx, environment.getattr(l_1_entry, 'used_by'), ', '))),
            )
        else:
            pass
            t_6.append(
                str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.unused')),
            )
        return concat(t_6)
    context.exported_vars.add('used_by')
    context.vars['used_by'] = l_0_used_by = Macro(environment, macro, 'used_by', ('entry',), False, False, False, context.eval_ctx.autoescape)
    yield '# '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.heading'))
    yield '\n\n'
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.intro'))
    yield '\n\n## '
    yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.enums'))
    yield '\n\n'
    l_1_loop = missing
    t_7 = 1
    for l_1_e, l_1_loop in LoopContext(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'enums'), undefined):
        _loop_vars = {}
        pass
        yield str(context.call((undefined(name='entry_head') if l_0_entry_head is missing else l_0_entry_head), l_1_e, _loop_vars=_loop_vars))
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
        yield str(context.call((undefined(name='used_by') if l_0_used_by is missing else l_0_used_by), l_1_e, _loop_vars=_loop_vars))
        yield '\n\n'
        t_7 = 0
    l_1_loop = l_1_e = missing
    if t_7:
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
            yield str(context.call((undefined(name='entry_head') if l_0_entry_head is missing else l_0_entry_head), l_1_d, _loop_vars=_loop_vars))
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
            yield str(context.call((undefined(name='used_by') if l_0_used_by is missing else l_0_used_by), l_1_d, _loop_vars=_loop_vars))
            yield '\n\n'
        l_1_d = missing
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'composites'):
        pass
        yield '## '
        yield str(context.call((undefined(name='t') if l_0_t is missing else l_0_t), 'types.composites'))
        yield '\n\n'
        for l_1_c in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'composites'):
            _loop_vars = {}
            pass
            yield str(context.call((undefined(name='entry_head') if l_0_entry_head is missing else l_0_entry_head), l_1_c, _loop_vars=_loop_vars))
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
            yield str(context.call((undefined(name='used_by') if l_0_used_by is missing else l_0_used_by), l_1_c, _loop_vars=_loop_vars))
            yield '\n\n'
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
debug_info = '1=38&2=40&3=42&4=49&6=54&7=57&10=61&12=66&13=71&14=74&16=79&19=85&21=87&23=89&25=93&26=96&28=98&30=101&31=104&34=110&37=116&40=118&41=121&43=123&44=126&46=128&48=133&49=136&51=138&52=141&55=144&59=147&60=150&62=152&63=155&65=157&67=161&68=165&71=171&75=175&77=177&80=180&82=190&83=194&88=215'
SOURCE_KEY = 'a7b700da1ec8b01ebd8a81c6094f126afbdee4a41783c3d195e67cdc0a602aeb'
