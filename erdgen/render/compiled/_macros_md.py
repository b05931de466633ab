# Made by `python -m erdgen.render.precompiled` from templates/_macros.md.j2: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_description = l_0_cell_description = l_0_sources_note = l_0_change = l_0_change_cell = l_0_diagrams = l_0_sql_fold = l_0_history_table = l_0_joined = l_0_actions = l_0_lifetime = missing
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
        t_3 = environment.filters['indent4']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'indent4' found.")
    try:
        t_4 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_5 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_6 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_7 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_8 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    try:
        t_9 = environment.filters['select']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'select' found.")
    try:
        t_10 = environment.filters['title']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'title' found.")
    try:
        t_11 = environment.filters['unique']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No filter named 'unique' found.")
    pass
    def macro(l_1_d):
        t_12 = []
        l_1_t = resolve('t')
        l_1_descriptions_file = resolve('descriptions_file')
        if l_1_d is missing:
            l_1_d = undefined("parameter 'd' was not provided", name='d')
        pass
        t_12.append(
            str(environment.getattr(l_1_d, 'markdown')),
        )
        if environment.getattr(l_1_d, 'untranslated'):
            pass
            t_12.extend((
                ' *(',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'common.untranslated')),
                ')*',
            ))
        if environment.getattr(l_1_d, 'source'):
            pass
            t_12.extend((
                ' <small class="erdgen-source">(',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), str_join(('source.', environment.getattr(l_1_d, 'source'), )), file=t_1((undefined(name='descriptions_file') if l_1_descriptions_file is missing else l_1_descriptions_file)))),
                ')</small>',
            ))
        return concat(t_12)
    context.exported_vars.add('description')
    context.vars['description'] = l_0_description = Macro(environment, macro, 'description', ('d',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_d):
        t_13 = []
        l_1_t = resolve('t')
        if l_1_d is missing:
            l_1_d = undefined("parameter 'd' was not provided", name='d')
        pass
        t_13.append(
            str(t_8(environment.getattr(l_1_d, 'markdown'))),
        )
        if (environment.getattr(l_1_d, 'untranslated') and environment.getattr(l_1_d, 'markdown')):
            pass
            t_13.extend((
                ' *(',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'common.untranslated')),
                ')*',
            ))
        if (environment.getattr(l_1_d, 'source') in ('comment', 'comment_on')):
            pass
            t_13.extend((
                ' <small class="erdgen-source" title="',
                str(t_10(context.call((undefined(name='t') if l_1_t is missing else l_1_t), str_join(('source.', environment.getattr(l_1_d, 'source'), ))))),
                '">SQL</small>',
            ))
        return concat(t_13)
    context.exported_vars.add('cell_description')
    context.vars['cell_description'] = l_0_cell_description = Macro(environment, macro, 'cell_description', ('d',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_descriptions):
        t_14 = []
        l_1_t = resolve('t')
        l_1_descriptions_file = resolve('descriptions_file')
        l_1_sources = missing
        if l_1_descriptions is missing:
            l_1_descriptions = undefined("parameter 'descriptions' was not provided", name='descriptions')
        pass
        l_1_sources = t_6(context.eval_ctx, t_11(environment, t_9(context, t_7(context, l_1_descriptions, attribute='source'))))
        if (undefined(name='sources') if l_1_sources is missing else l_1_sources):
            pass
            t_14.extend((
                '<small class="erdgen-source">',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), str_join(('source.cells_', (('both_comment_on' if ('comment_on' in (undefined(name='sources') if l_1_sources is missing else l_1_sources)) else 'both') if (t_5((undefined(name='sources') if l_1_sources is missing else l_1_sources)) > 1) else environment.getitem((undefined(name='sources') if l_1_sources is missing else l_1_sources), 0)), )), file=t_1((undefined(name='descriptions_file') if l_1_descriptions_file is missing else l_1_descriptions_file)))),
                '</small>\n',
            ))
        return concat(t_14)
    context.exported_vars.add('sources_note')
    context.vars['sources_note'] = l_0_sources_note = Macro(environment, macro, 'sources_note', ('descriptions',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_line):
        t_15 = []
        l_1_t = resolve('t')
        if l_1_line is missing:
            l_1_line = undefined("parameter 'line' was not provided", name='line')
        pass
        t_15.append(
            str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), str_join(('change.', environment.getattr(l_1_line, 'kind'), )), **environment.getattr(l_1_line, 'params'))),
        )
        if environment.getattr(l_1_line, 'destructive'):
            pass
            t_15.extend((
                ' — ⚠️ **',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'common.destructive')),
                '**',
            ))
        return concat(t_15)
    context.exported_vars.add('change')
    context.vars['change'] = l_0_change = Macro(environment, macro, 'change', ('line',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_lines):
        t_16 = []
        if l_1_lines is missing:
            l_1_lines = undefined("parameter 'lines' was not provided", name='lines')
        pass
        l_2_loop = missing
        for l_2_line, l_2_loop in LoopContext(l_1_lines, undefined):
            _loop_vars = {}
            pass
            t_16.append(
                str(t_8(context.call((undefined(name='change') if l_0_change is missing else l_0_change), l_2_line, _loop_vars=_loop_vars))),
            )
            for l_3_d in environment.getattr(l_2_line, 'details'):
                _loop_vars = {}
                pass
                t_16.extend((
                    '<br>· ',
                    str(t_8(context.call((undefined(name='change') if l_0_change is missing else l_0_change), l_3_d, _loop_vars=_loop_vars))),
                ))
            l_3_d = missing
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_16.append(
                    '<br>',
                )
        l_2_loop = l_2_line = missing
        return concat(t_16)
    context.exported_vars.add('change_cell')
    context.vars['change_cell'] = l_0_change_cell = Macro(environment, macro, 'change_cell', ('lines',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_svgs, l_1_legend):
        t_17 = []
        l_1_t = resolve('t')
        if l_1_svgs is missing:
            l_1_svgs = undefined("parameter 'svgs' was not provided", name='svgs')
        if l_1_legend is missing:
            l_1_legend = undefined("parameter 'legend' was not provided", name='legend')
        pass
        for l_2_d in l_1_svgs:
            _loop_vars = {}
            pass
            if environment.getattr(l_2_d, 'heading'):
                pass
                t_17.extend((
                    '### ',
                    str(environment.getattr(l_2_d, 'heading')),
                    ' { #',
                    str(environment.getattr(l_2_d, 'key')),
                    ' }\n\n',
                ))
            t_17.extend((
                '<div class="erdgen-diagram" data-search-exclude markdown="0">\n',
                str(environment.getattr(l_2_d, 'svg')),
                '\n</div>\n\n[',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'diagram.full_size', _loop_vars=_loop_vars)),
                '](',
                str(environment.getattr(l_2_d, 'file')),
                '){ .erdgen-full-size }\n\n',
            ))
        l_2_d = missing
        if (l_1_svgs and l_1_legend):
            pass
            t_17.extend((
                '<small>',
                str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'legend.heading')),
                ': ',
            ))
            l_2_loop = missing
            for l_2_item, l_2_loop in LoopContext(l_1_legend, undefined):
                _loop_vars = {}
                pass
                t_17.extend((
                    str(t_1(environment.getattr(l_2_item, 'symbol'))),
                    ' ',
                    str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), str_join(('legend.', environment.getattr(l_2_item, 'key'), )), _loop_vars=_loop_vars)),
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_17.append(
                        ' · ',
                    )
            l_2_loop = l_2_item = missing
            t_17.append(
                '</small>\n',
            )
        t_17.append(
            '\n',
        )
        return concat(t_17)
    context.exported_vars.add('diagrams')
    context.vars['diagrams'] = l_0_diagrams = Macro(environment, macro, 'diagrams', ('svgs', 'legend'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_label, l_1_sql):
        t_18 = []
        if l_1_label is missing:
            l_1_label = undefined("parameter 'label' was not provided", name='label')
        if l_1_sql is missing:
            l_1_sql = undefined("parameter 'sql' was not provided", name='sql')
        pass
        t_18.extend((
            '<div class="erdgen-sql" data-search-exclude="" markdown="1">\n\n??? note "',
            str(t_10(l_1_label)),
            '"\n\n',
            str(t_3(t_2(l_1_sql))),
            '\n\n</div>\n\n',
        ))
        return concat(t_18)
    context.exported_vars.add('sql_fold')
    context.vars['sql_fold'] = l_0_sql_fold = Macro(environment, macro, 'sql_fold', ('label', 'sql'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_rows):
        t_19 = []
        l_1_t = resolve('t')
        if l_1_rows is missing:
            l_1_rows = undefined("parameter 'rows' was not provided", name='rows')
        pass
        t_19.extend((
            '<div class="erdgen-list" markdown="1">\n\n| ',
            str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'history.migration')),
            ' | ',
            str(context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'history.change')),
            ' |\n|---|---|\n',
        ))
        for l_2_row in l_1_rows:
            _loop_vars = {}
            pass
            t_19.extend((
                '| ',
                str(t_8(environment.getattr(l_2_row, 'migration'))),
                ' | ',
                str(context.call((undefined(name='change_cell') if l_0_change_cell is missing else l_0_change_cell), environment.getattr(l_2_row, 'lines'), _loop_vars=_loop_vars)),
                ' |\n',
            ))
        l_2_row = missing
        t_19.append(
            '\n</div>\n',
        )
        return concat(t_19)
    context.exported_vars.add('history_table')
    context.vars['history_table'] = l_0_history_table = Macro(environment, macro, 'history_table', ('rows',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_pairs, l_1_prefix):
        t_20 = []
        if l_1_pairs is missing:
            l_1_pairs = undefined("parameter 'pairs' was not provided", name='pairs')
        if l_1_prefix is missing:
            l_1_prefix = undefined("parameter 'prefix' was not provided", name='prefix')
        pass
        l_2_loop = missing
        for (l_2_key, l_2_n), l_2_loop in LoopContext(l_1_pairs, undefined):
            l_2_t = resolve('t')
            _loop_vars = {}
            pass
            t_20.append(
                str(context.call((undefined(name='t') if l_2_t is missing else l_2_t), str_join((l_1_prefix, l_2_key, )), n=l_2_n, _loop_vars=_loop_vars)),
            )
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_20.append(
                    ' · ',
                )
        l_2_loop = l_2_key = l_2_n = l_2_t = missing
        return concat(t_20)
    context.exported_vars.add('joined')
    context.vars['joined'] = l_0_joined = Macro(environment, macro, 'joined', ('pairs', 'prefix'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_items):
        t_21 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        for l_2_a in l_1_items:
            _loop_vars = {}
            pass
            t_21.extend((
                ' · ',
                str(t_1(l_2_a)),
            ))
        l_2_a = missing
        return concat(t_21)
    context.exported_vars.add('actions')
    context.vars['actions'] = l_0_actions = Macro(environment, macro, 'actions', ('items',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_page):
        t_22 = []
        l_1_t = resolve('t')
        l_1_parts = missing
        if l_1_page is missing:
            l_1_page = undefined("parameter 'page' was not provided", name='page')
        pass
        l_1_parts = []
        if environment.getattr(l_1_page, 'created_in'):
            pass
            context.call(environment.getattr((undefined(name='parts') if l_1_parts is missing else l_1_parts), 'append'), context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'table.created_in', migration=environment.getattr(l_1_page, 'created_in')))
        if environment.getattr(l_1_page, 'changed_in'):
            pass
            context.call(environment.getattr((undefined(name='parts') if l_1_parts is missing else l_1_parts), 'append'), context.call((undefined(name='t') if l_1_t is missing else l_1_t), 'table.changed_in', migration=environment.getattr(l_1_page, 'changed_in')))
        t_22.append(
            str(t_4(context.eval_ctx, (undefined(name='parts') if l_1_parts is missing else l_1_parts), ' · ')),
        )
        return concat(t_22)
    context.exported_vars.add('lifetime')
    context.vars['lifetime'] = l_0_lifetime = Macro(environment, macro, 'lifetime', ('page',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '2=78&3=86&4=95&7=106&8=113&11=133&12=141&13=142&14=146&18=153&19=160&22=173&23=179&26=203&27=211&28=214&29=218&33=225&36=227&39=233&40=237&45=265&48=274&50=276&56=283&59=291&61=296&62=301&68=314&69=322&72=339&73=344&76=356&77=363&78=364&79=367&80=371'
SOURCE_KEY = 'ec71e9cb62c0b46428a9514f6cfaa64f51cdc3691449bc81f57c6fa447551fa2'
