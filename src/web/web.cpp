#include "web/web.h"

#include <charconv>

#include "util/crypto.h"
#include "util/encoding.h"
#include "util/log.h"
#include "web/assets.h"
#include "web/page_call.h"
#include "web/pages.h"
#include "web/templates.h"

namespace wharf::web {
namespace {

constexpr std::size_t kMaxFormBytes = 64 << 10;
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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

// The upload and edit pages take multipart/form-data (files, long text): they read the body
// as it streams and check the csrf field in it themselves (web/posted_form.h).
bool page_reads_own_body(const http::Request& req, const PageRoute& r) {
  return r.kind == PageKind::Repo && (r.action == "upload" || r.action == "edit") &&
         req.headers.get("Content-Type").value_or("").starts_with("multipart/form-data");
}

Result<http::Response> method_not_allowed(const char* allow) {
  return fail(Error{405, "MethodNotAllowed", "Method not allowed on this page", {{"Allow", allow}}, {}});
}

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

Result<http::Response> static_file(const PageCall& c, const std::string& name) {
  if (c.req.method != "GET" && c.req.method != "HEAD") return method_not_allowed("GET, HEAD");
  auto content = find_asset("static/" + name);
  if (!content || name.find("..") != std::string::npos) return fail(errors::not_found("There is no such file"));
  auto res = http::Response::text(200, std::string(*content), std::string(content_type_of(name)));
  res.headers.set("Cache-Control", "public, max-age=3600");
  return res;
}

Result<http::Response> account_dispatch(PageCall& c) {
  const auto& path = c.req.path;
  bool get = c.req.method == "GET" || c.req.method == "HEAD";
  bool post = c.is_post();
  if (path == "/join") return get || post ? join_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/login") return get || post ? login_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/logout") return post ? logout(c) : method_not_allowed("POST");
  if (path == "/settings/password") return get || post ? password_page(c) : method_not_allowed("GET, HEAD, POST");
  if (path == "/settings/tokens") return get || post ? tokens_page(c) : method_not_allowed("GET, HEAD, POST");
  if (auto id = token_delete_id(path)) return post ? delete_token(c, *id) : method_not_allowed("POST");
  return fail(errors::not_found("There is no such page"));
}

Result<http::Response> repo_dispatch(PageCall& c, const PageRoute& r) {
  bool get = c.req.method == "GET" || c.req.method == "HEAD";
  const auto& a = r.action;
  // Pages that take a form as well as showing one.
  bool form_page = a == "settings" || a == "upload" || a == "edit" || a == "request-access" ||
                   a == "access-requests" || a == "discussions";
  if (a == "like") {
    if (!c.is_post()) return method_not_allowed("POST");
  } else if (form_page ? !(get || c.is_post()) : !get) {
    return method_not_allowed(form_page ? "GET, HEAD, POST" : "GET, HEAD");
  }
  if (a.empty()) return card_page(c, r);
  if (a == "like") return like_repo(c, r);
  if (a == "tree") return tree_page(c, r);
  if (a == "blob") return blob_page(c, r);
  if (a == "commits") return commits_page(c, r);
  if (a == "commit") return commit_page(c, r);
  if (a == "settings") return settings_page(c, r);
  if (a == "upload") return upload_page(c, r);
  if (a == "edit") return edit_page(c, r);
  if (a == "request-access") return request_access_page(c, r);
  if (a == "access-requests") return access_requests_page(c, r);
  if (a == "discussions") return discussions_page(c, r);
  return fail(errors::not_found("There is no such page"));
}

Result<http::Response> dispatch(PageCall& c, const PageRoute& r) {
  bool get = c.req.method == "GET" || c.req.method == "HEAD";
  bool get_or_post = get || c.is_post();
  switch (r.kind) {
    case PageKind::Static: return static_file(c, r.path);
    case PageKind::Account: return account_dispatch(c);
    case PageKind::Home: return get ? home_page(c) : method_not_allowed("GET, HEAD");
    case PageKind::Listing: return get ? listing_page(c, r.type) : method_not_allowed("GET, HEAD");
    case PageKind::NewRepo: return get_or_post ? new_repo_page(c, r.type) : method_not_allowed("GET, HEAD, POST");
    case PageKind::Profile: return get ? profile_page(c, r.path) : method_not_allowed("GET, HEAD");
    case PageKind::Repo: return repo_dispatch(c, r);
    case PageKind::NotFound: break;
  }
  return fail(errors::not_found("There is no such page"));
}

Result<http::Response> answer(PageCall& c) {
  if (auto secret = c.cookie(hub::kSessionCookie)) c.who = WHARF_TRY(hub::authenticate_session(c.hub, *secret));
  c.who.remote_address = c.req.remote_address;
  auto route = parse_page_route(c.req.path);
  if (c.is_post()) {
    if (!from_this_site(c)) return fail(refused_form());
    if (!page_reads_own_body(c.req, route)) {
      c.form = WHARF_TRY(read_form(c.req));
      if (!form_token_matches(c)) return fail(refused_form());
    }
  }
  auto res = dispatch(c, route);
  // A renamed repo: its pages move with it (the error's message is the new "ns/name").
  if (!res && res.error().code == "RepoMoved" && route.kind == PageKind::Repo && c.req.method != "POST") {
    auto slash = res.error().message.find('/');
    if (slash != std::string::npos) {
      hub::RepoId moved{route.repo.type, res.error().message.substr(0, slash), res.error().message.substr(slash + 1)};
      auto old_prefix = repo_path(route.repo);
      std::string rest = c.req.path.size() > old_prefix.size() ? c.req.path.substr(old_prefix.size()) : "";
      return redirect(c, repo_path(moved) + rest);
    }
  }
  return res;
}

void add_security_headers(http::Response& res) {
  res.headers.set("Content-Security-Policy", kContentSecurityPolicy);
  res.headers.set("X-Content-Type-Options", "nosniff");
  res.headers.set("Referrer-Policy", "same-origin");
  if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "no-store");
}

// The error page. A repo the caller may not see is "not found" to everyone (an anonymous
// caller is offered the log-in page), so that a private repo's existence never shows.
http::Response error_page(const PageCall& c, Error e) {
  mstch::map ctx{{"title", std::string("Error")}};
  if (e.code == "RepoNotFound" || e.code == "NotFound" || e.code == "RevisionNotFound" || e.code == "EntryNotFound") {
    ctx["title"] = std::string("Not found");
    if (e.code == "RepoNotFound") {
      e.status = 404;
      if (!c.who.user) ctx["login_next"] = percent_encode(c.req.path, true);
    }
  }
  return render_error(c, "message", std::move(ctx), e);
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

bool owns_path(std::string_view path) { return parse_page_route(std::string(path)).kind != PageKind::NotFound; }

http::Handler make_handler(hub::Hub& hub, WebOptions options) {
  auto opts = std::make_shared<WebOptions>(std::move(options));
  return [&hub, opts](http::Request& req) -> Result<http::Response> {
    PageCall c{hub, *opts, req, {}, {}, url_path(opts->public_url), {}};
    auto r = answer(c);
    if (!r && r.error().status == 500) log::error(req.method + " " + req.path + ": " + r.error().message);
    http::Response res = r ? std::move(*r) : error_page(c, r.error());
    for (auto& cookie : c.set_cookies) res.headers.add("Set-Cookie", std::move(cookie));
    add_security_headers(res);
    return res;
  };
}

}  // namespace wharf::web
