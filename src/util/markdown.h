// GitHub-flavored Markdown to safe HTML, with Debian's cmark-gfm (tables, strikethrough,
// autolinks, task lists). Safe means cmark-gfm's safe mode plus the tag filter: raw HTML is
// dropped, and link or image URLs with a dangerous scheme (javascript:, vbscript:, file:,
// data: other than images) become empty. Nothing the author writes becomes a script, an
// event handler or a style.
#pragma once

#include <string>
#include <string_view>

namespace wharf {

// Where relative URLs of a document point (a card's "images/a.png"): links to the file page,
// images to the file's bytes. Both end with '/'; empty leaves relative URLs as they are.
struct MarkdownLinks {
  std::string file_base;   // e.g. "/ns/name/blob/main/"
  std::string image_base;  // e.g. "/ns/name/resolve/main/"
};

// `heading_offset` is added to every heading level (at most 6): a card inside a page whose
// h1 is the repo's name starts at h2. Task-list checkboxes come out with an accessible name
// ("Done" / "Not done").
std::string render_markdown(std::string_view markdown, const MarkdownLinks& links = {}, int heading_offset = 0);

// Whether `url` is relative to the document ("a.png", "./docs/x.md"), not absolute, rooted
// ("/x"), scheme-relative ("//h") or a fragment ("#x").
bool is_document_relative(std::string_view url);

}  // namespace wharf
