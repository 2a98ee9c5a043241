// The HTML of the web pages: mustache templates (mstch) in one layout. Values reach the
// HTML only through {{ }}, which escapes them; no page is built by concatenating HTML.
#pragma once

#include <mstch/mstch.hpp>

#include <string>
#include <string_view>

namespace wharf::web {

// Page `page` ("join", "login", "password", "tokens", "message") inside the layout.
// REQUIRES: a page name of that list.
std::string render_template(std::string_view page, const mstch::map& ctx);

// GET /static/wharf.css.
extern const std::string_view kStylesheet;

}  // namespace wharf::web
