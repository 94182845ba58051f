// Package corpus reads collections of Chinese policy documents into
// Documents: plain text, Markdown, HTML, JSON, PDF, DOCX and ODT files, in
// UTF-8 or GBK, with metadata from an optional manifest or inferred from
// titles, text and paths.
//
// Load walks an fs.FS and yields documents one at a time; Parse reads the
// bytes of a single file, for instance an upload. Both decode legacy
// encodings (GB18030/GBK, UTF-16), strip markup and web-page chrome, extract
// the text of Word XML saved as .txt, and repair UTF-8 that was misread as
// Windows-1252. Files that cannot become documents are reported as
// *SkipError values and never stop a load.
//
// Metadata that a source does not give is inferred: the title from the
// first meaningful line; the 文号, 发文机关, 成文日期 and 主题词 from the
// labelled fields, the line under the title and the signature block the
// text holds (see extractMeta); the date from the file name, the 发布日期,
// the 成文日期 or the first 年月日 date near the top; and the region and administrative level from
// place names, resolved with a Gazetteer of China's administrative
// divisions. The Gazetteer is also meant for other packages, such as entity
// extraction in the indexer: FindIn reports place names in any text with
// byte offsets.
//
// Document IDs are derived from corpus-relative paths, so they are stable
// across runs and machines. Sample returns a small embedded corpus of real
// documents for demos and tests.
//
// This package imports no other package of the module.
package corpus
