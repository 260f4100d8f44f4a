/// The renderer for the user's output settings, writing to `writer`.
///
/// - aligned: `AlignedRenderer` (with `\x auto` it switches to the expanded layout itself), or
///   `ExpandedRenderer` for `\x on`;
/// - unaligned: `UnalignedRenderer`, expanded for `\x on` (psql ignores `auto` here);
/// - csv: `CSVRenderer`, vertical for `\x on` as psql 15 prints it (psql ignores `auto` here);
/// - wrapped: as aligned, the widths narrowed to `\pset columns` or the terminal;
/// - html, asciidoc, latex, latex-longtable, troff-ms: `DocumentRenderer`s, vertical for `\x on`;
/// - json: `JSONRenderer` (expanded, `-t`, footer and null display do not apply).
/// With `\pset numericlocale` the rows pass through `NumericLocaleRenderer` first (not json).
/// (`package`: the fuzzing entry points drive the renderers too.)
package func makeRenderer(settings: OutputSettings, writer: OutputWriter) -> any ResultRenderer {
    makeRenderer(settings: settings, writer: writer, windowRows: settings.fetchCount > 0 ? settings.fetchCount : AlignedRenderer.defaultWindowRows)
}

/// `makeRenderer` with the aligned formats' window size (rows per window) chosen.
package func makeRenderer(settings: OutputSettings, writer: OutputWriter, windowRows: Int) -> any RowCountingRenderer {
    let renderer = makeFormatRenderer(settings: settings, writer: writer, windowRows: windowRows)
    return settings.numericLocale && settings.format != .json ? NumericLocaleRenderer(renderer) : renderer
}

private func makeFormatRenderer(settings: OutputSettings, writer: OutputWriter, windowRows: Int) -> any RowCountingRenderer {
    switch settings.format {
    case .aligned, .wrapped:
        if settings.expanded == .on {
            return ExpandedRenderer(settings: settings, writer: writer, windowRows: windowRows)
        }
        return AlignedRenderer(settings: settings, writer: writer, windowRows: windowRows)
    case .unaligned:
        return UnalignedRenderer(settings: settings, writer: writer, expanded: settings.expanded == .on)
    case .csv:
        return CSVRenderer(settings: settings, writer: writer, expanded: settings.expanded == .on)
    case .json:
        return JSONRenderer(writer: writer)
    case .html:
        return HTMLRenderer(settings: settings, writer: writer)
    case .asciidoc:
        return AsciiDocRenderer(settings: settings, writer: writer)
    case .latex, .latexLongtable:
        return LaTeXRenderer(settings: settings, writer: writer, longtable: settings.format == .latexLongtable)
    case .troffMs:
        return TroffRenderer(settings: settings, writer: writer)
    }
}
