// The HTML of the web pages: mustache templates (mstch) from src/web/assets/templates, each
// page shown inside templates/layout.mustache. Values reach the HTML only through {{ }},
// which escapes them; the one exception is {{{ }}} for HTML that wharf itself made safe
// (sanitized Markdown, highlighted diffs), named *_html in the contexts.
#pragma once

#include <mstch/mstch.hpp>

#include <string>
#include <string_view>

namespace wharf::web {

// Template `page` (templates/<page>.mustache) inside the layout. Every template is also a
// partial of every other, by its name ({{> repo_header}}).
// REQUIRES: such a template exists.
std::string render_template(std::string_view page, const mstch::map& ctx);

}  // namespace wharf::web
