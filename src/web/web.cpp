#include "web/web.h"

#include <charconv>

#include "util/crypto.h"
#include "util/encoding.h"
#include "util/log.h"
#include "web/page_call.h"
#include "web/templates.h"

namespace wharf::web {
namespace {

constexpr std::size_t kMaxFormBytes = 64 << 10;
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

// The id of "/settings/tokens/<id>/delete".
std::optional<int64_t> token_delete_id(std::string_view path) {
  constexpr std::string_view prefix = "/settings/tokens/", suffix = "/delete";
  if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
    return std::nullopt;
  auto digits = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  int64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0) return std::nullopt;
  return id;
}

bool is_pre_login_form(std::string_view path) { return path == "/join" || path == "/login"; }

Error refused_form() {
  return errors::forbidden(
      "This form was refused: it came from another site, or its security token is missing or stale. "
      "Reload the page and try again.");
}

// A POST must come from this site: a browser's Origin (when sent) is the public URL's or the
// Host's, and Sec-Fetch-Site (when sent) is not cross-site.
bool from_this_site(const PageCall& c) {
  if (c.req.headers.get("Sec-Fetch-Site") == "cross-site") return false;
  auto origin = c.req.headers.get("Origin");
  if (!origin) return true;
  if (*origin == url_origin(c.options.public_url)) return true;
  auto host = c.req.headers.get("Host");
  return host && !host->empty() && (*origin == "http://" + *host || *origin == "https://" + *host);
}

// The form's csrf field matches the session's token, or before log-in the wharf_csrf cookie.
// An anonymous post to a signed-in page passes here; the page sends it to log in.
bool form_token_matches(const PageCall& c) {
  auto sent = c.form.get("csrf");
  if (!sent || sent->empty()) return false;
  if (is_pre_login_form(c.req.path)) {
    auto cookie = c.cookie(kFormCookie);
    return cookie && !cookie->empty() && constant_time_equal(*cookie, *sent);
  }
  return !c.who.session || constant_time_equal(c.who.session->csrf, *sent);
}

Result<QueryParams> read_form(http::Request& req) {
  auto type = req.headers.get("Content-Type").value_or("");
  if (!type.starts_with("application/x-www-form-urlencoded"))
    return fail(Error{415, "UnsupportedMediaType", "Forms are sent as application/x-www-form-urlencoded", {}, {}});
  return QueryParams::parse(WHARF_TRY(req.read_body(kMaxFormBytes)));
}

Result<http::Response> method_not_allowed(const char* allow) {
  return fail(Error{405, "MethodNotAllowed", "Method not allowed on this page", {{"Allow", allow}}, {}});
}

http::Response stylesheet() {
  auto res = http::Response::text(200, std::string(kStylesheet), "text/css; charset=utf-8");
  res.headers.set("Cache-Control", "public, max-age=3600");
  return res;
}

Result<http::Response> dispatch(PageCall& c) {
  const auto& path = c.req.path;
  bool get = c.req.method == "GET" || c.req.method == "HEAD";
  bool post = c.is_post();
  if (path == "/static/wharf.css") return get ? stylesheet() : method_not_allowed("GET, HEAD");
  if (path == "/join") return get || post ? join_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/login") return get || post ? login_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/logout") return post ? logout(c) : method_not_allowed("POST");
  if (path == "/settings/password") return get || post ? password_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/settings/tokens") return get || post ? tokens_page(c) : method_not_allowed("GET, HEAD, POST");
  if (auto id = token_delete_id(path)) return post ? delete_token(c, *id) : method_not_allowed("POST");
  return fail(errors::not_found("There is no such page"));
}

Result<http::Response> answer(PageCall& c) {
  if (auto secret = c.cookie(hub::kSessionCookie)) c.who = WHARF_TRY(hub::authenticate_session(c.hub, *secret));
  c.who.remote_address = c.req.remote_address;
  if (c.is_post()) {
    if (!from_this_site(c)) return fail(refused_form());
    c.form = WHARF_TRY(read_form(c.req));
    if (!form_token_matches(c)) return fail(refused_form());
  }
  return dispatch(c);
}

void add_security_headers(http::Response& res) {
  res.headers.set("Content-Security-Policy", kContentSecurityPolicy);
  res.headers.set("X-Content-Type-Options", "nosniff");
  res.headers.set("Referrer-Policy", "same-origin");
  if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "no-store");
}

}  // namespace

std::optional<std::string> PageCall::cookie(std::string_view name) const { return req.cookie(name); }

void PageCall::set_cookie(std::string_view name, std::string_view value, int64_t max_age_s) {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age_s) +
                  "; HttpOnly; SameSite=Lax";
  if (options.public_url.starts_with("https://")) c += "; Secure";
  set_cookies.push_back(std::move(c));
}

http::Response render_page(const PageCall& c, std::string_view page, mstch::map ctx, int status) {
  ctx["base"] = c.base;
  ctx["signed_in"] = c.who.user.has_value();
  if (c.who.user) ctx["user_name"] = c.who.user->name;
  if (c.who.session) ctx["session_csrf"] = c.who.session->csrf;
  return http::Response::text(status, render_template(page, ctx), "text/html; charset=utf-8");
}

http::Response render_error(const PageCall& c, std::string_view page, mstch::map ctx, const Error& e) {
  ctx["error"] = e.status == 500 ? std::string("Something went wrong on the server; try again later.") : e.message;
  auto res = render_page(c, page, std::move(ctx), e.status);
  if (!e.code.empty()) res.headers.set("X-Error-Code", e.code);
  for (const auto& [name, value] : e.headers) res.headers.set(name, value);
  return res;
}

http::Response redirect(const PageCall& c, std::string_view local_path) {
  http::Response res;
  res.status = 303;
  res.headers.set("Location", c.base + std::string(local_path));
  return res;
}

std::string safe_next(std::string_view next, std::string_view fallback) {
  if (next.empty() || next.size() > 1024 || next.front() != '/' || next.starts_with("//") || next.starts_with("/\\"))
    return std::string(fallback);
  for (char ch : next)
    if (static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f || ch == '\\')
      return std::string(fallback);
  return std::string(next);
}

bool owns_path(std::string_view path) {
  return path == "/join" || path == "/login" || path == "/logout" || path == "/static/wharf.css" ||
         path.starts_with("/settings/");
}

http::Handler make_handler(hub::Hub& hub, WebOptions options) {
  auto opts = std::make_shared<WebOptions>(std::move(options));
  return [&hub, opts](http::Request& req) -> Result<http::Response> {
    PageCall c{hub, *opts, req, {}, {}, url_path(opts->public_url), {}};
    auto r = answer(c);
    if (!r && r.error().status == 500) log::error(req.method + " " + req.path + ": " + r.error().message);
    http::Response res = r ? std::move(*r) : render_error(c, "message", {{"title", std::string("Error")}}, r.error());
    for (auto& cookie : c.set_cookies) res.headers.add("Set-Cookie", std::move(cookie));
    add_security_headers(res);
    return res;
  };
}

}  // namespace wharf::web
