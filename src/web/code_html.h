// The rows of the code tables (a file's numbered lines, a diff's hunks) as HTML built here, every
// byte of content escaped. Templates are too slow for this: with a mustache section per line, a
// 20,000-line diff took 2.8 s to render (Debug build), against 0.5 s with these rows. Private
// to web/.
#pragma once

#include <string>
#include <string_view>

#include "storage/gitstore.h"

namespace wharf::web {

// `s` with & < > " ' escaped, safe in element content and quoted attributes.
std::string escape_html(std::string_view s);

// <tr id="L<n>"> rows of `text`'s lines, numbered from 1, each number linking to its row; a
// final newline ends the last line. The number of lines is stored in `line_count`.
std::string numbered_lines_html(std::string_view text, std::size_t& line_count);

// <tbody> per hunk of `f`: a header row, then one row per line with the old and new numbers
// and the class "add", "del", "ctx" or "eof".
std::string diff_hunks_html(const storage::FileDiff& f);

}  // namespace wharf::web
