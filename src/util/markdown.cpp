#include "util/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace wharf {
namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};

// CMARK_OPT_DEFAULT is safe mode (no CMARK_OPT_UNSAFE): raw HTML is omitted and unsafe URLs
// are blanked.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// Prefixes the relative URLs of links and images; shifts headings.
void adjust_nodes(cmark_node* doc, const MarkdownLinks& links, int heading_offset) {
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(doc));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it.get());
    auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HEADING && heading_offset > 0) {
      cmark_node_set_heading_level(node, std::min(6, cmark_node_get_heading_level(node) + heading_offset));
      continue;
    }
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(node);
    if (!url || !is_document_relative(url) || (links.file_base.empty() && links.image_base.empty())) continue;
    std::string_view rel = url;
    while (rel.starts_with("./")) rel.remove_prefix(2);
    const std::string& base = type == CMARK_NODE_IMAGE ? links.image_base : links.file_base;
    if (base.empty()) continue;
    std::string full = base + std::string(rel);
    cmark_node_set_url(node, full.c_str());
  }
}

// The tasklist extension writes exactly these two forms; screen readers need a name for them.
std::string name_task_checkboxes(std::string html) {
  static constexpr std::pair<std::string_view, std::string_view> kForms[] = {
      {"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
       "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />"},
      {"<input type=\"checkbox\" disabled=\"\" />", "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />"}};
  for (const auto& [from, to] : kForms)
    for (std::size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + to.size()))
      html.replace(at, from.size(), to);
  return html;
}

}  // namespace

bool is_document_relative(std::string_view url) {
  if (url.empty() || url.front() == '/' || url.front() == '#' || url.front() == '?') return false;
  for (char ch : url) {
    if (ch == ':') return false;  // a scheme (before any '/', '?' or '#')
    if (ch == '/' || ch == '?' || ch == '#') break;
  }
  return true;
}

std::string render_markdown(std::string_view markdown, const MarkdownLinks& links, int heading_offset) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(kOptions));
  for (const char* name : kExtensions)
    if (auto* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(parser.get(), ext);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parser_finish(parser.get()));
  if (!doc) return {};
  adjust_nodes(doc.get(), links, heading_offset);
  char* html = cmark_render_html(doc.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out = html ? html : "";
  std::free(html);
  return name_task_checkboxes(std::move(out));
}

}  // namespace wharf
