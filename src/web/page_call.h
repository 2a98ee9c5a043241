// What each web page gets (the request, the caller from the session cookie, the posted
// form) and the helpers every page uses: rendering in the layout, redirects, cookies.
// Private to web/.
#pragma once

#include <mstch/mstch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/identity.h"
#include "util/encoding.h"
#include "web/web.h"

namespace wharf::web {

// The cookie that carries the form token of the pages shown before log-in (double submit).
inline constexpr std::string_view kFormCookie = "wharf_csrf";

struct PageCall {
  hub::Hub& hub;
  const WebOptions& options;
  http::Request& req;
  hub::Identity who;                     // from the session cookie; anonymous when none
  QueryParams form;                      // the urlencoded body of a POST
  std::string base;                      // the public URL's path ("" or e.g. "/hf")
  std::vector<std::string> set_cookies;  // Set-Cookie values added to the response

  bool is_post() const { return req.method == "POST"; }
  std::string field(std::string_view key) const { return form.get(key).value_or(""); }
  std::optional<std::string> cookie(std::string_view name) const;
  // Adds a cookie (HttpOnly, SameSite=Lax, Path=/, Secure behind https); max_age_s 0 deletes it.
  void set_cookie(std::string_view name, std::string_view value, int64_t max_age_s);
};

// `page` (a template of templates.cpp) in the layout. The layout gets "base", "title",
// "signed_in", "user_name" and "session_csrf" (for the log-out button).
http::Response render_page(const PageCall& c, std::string_view page, mstch::map ctx, int status = 200);
// The page again with `e`'s message as "error", its status, X-Error-Code and headers.
http::Response render_error(const PageCall& c, std::string_view page, mstch::map ctx, const Error& e);
// 303 See Other to base + `local_path`.
http::Response redirect(const PageCall& c, std::string_view local_path);
// `next` when it is a path on this site ("/x", not "//host" nor "/\host"), else `fallback`.
std::string safe_next(std::string_view next, std::string_view fallback);

// The pages (account_pages.cpp, token_pages.cpp). Anonymous callers of the settings pages
// are sent to the log-in page.
Result<http::Response> join_page(PageCall& c);
Result<http::Response> login_page(PageCall& c);
Result<http::Response> logout(PageCall& c);
Result<http::Response> password_page(PageCall& c);
Result<http::Response> tokens_page(PageCall& c);
Result<http::Response> delete_token(PageCall& c, int64_t token_id);
// The form token of the pre-log-in pages: the wharf_csrf cookie's, or a new one (set now).
std::string form_token(PageCall& c);

}  // namespace wharf::web
