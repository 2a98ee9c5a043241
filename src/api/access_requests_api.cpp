// Gated repos (spec §13.3): the admins' access-request endpoints
//   GET  /api/{type}s/{id}/user-access-request/{pending|accepted|rejected}[?limit=&p=]
//   POST /api/{type}s/{id}/user-access-request/handle {user, status, rejectionReason?}
//   POST /api/{type}s/{id}/user-access-request/grant  {user}
// and the requester's form action POST /{prefix}{id}/ask-access (Bearer token, or the web
// session cookie with its CSRF token in the form).
#include "api/context.h"
#include "hub/gating.h"
#include "util/crypto.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr int64_t kDefaultRequestPage = 1000;  // the Hub's default and maximum page
constexpr std::size_t kMaxAskBody = 64 << 10;
constexpr std::size_t kMaxAskFields = 256;

Result<int64_t> page_param(const QueryParams& q, const char* key, int64_t fallback, int64_t min,
                           int64_t max) {
  auto v = q.get(key);
  if (!v) return fallback;
  if (v->empty() || v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos)
    return fail(errors::bad_request(std::string(key) + " must be a number"));
  int64_t n = std::stoll(*v);
  if (n < min || n > max)
    return fail(errors::bad_request(std::string(key) + " must be between " + std::to_string(min) +
                                    " and " + std::to_string(max)));
  return n;
}

nlohmann::json request_json(const Call& c, const storage::AccessRequestRow& r) {
  nlohmann::json user = {
      {"user", r.user.name},
      {"fullname", r.user.fullname},
      {"avatarUrl", c.options.public_url + "/avatars/" + r.user.name},
      {"type", "user"},
      {"isPro", false},
      // Python clients before 0.25 read user["email"] unconditionally.
      {"email", r.user.email.empty() ? nlohmann::json() : nlohmann::json(r.user.email)}};
  nlohmann::json j = {
      {"user", user}, {"status", r.status}, {"timestamp", format_iso8601(r.created_ms)}};
  if (r.status != "pending") j["reviewedAt"] = format_iso8601(r.updated_ms);
  if (!r.fields.empty()) {
    auto fields = nlohmann::json::parse(r.fields, nullptr, false);
    if (fields.is_object()) j["fields"] = fields;
  }
  return j;
}

Result<http::Response> list_requests(Call& c, const std::string& status) {
  int64_t limit =
      WHARF_TRY(page_param(c.query, "limit", kDefaultRequestPage, 1, kDefaultRequestPage));
  int64_t page = WHARF_TRY(page_param(c.query, "p", 0, 0, 100000000));
  // One row more than the page tells whether a next page exists.
  auto rows = WHARF_TRY(
      hub::list_access_requests(c.hub, c.who, c.route.repo, status, page * limit, limit + 1));
  bool more = static_cast<int64_t>(rows.size()) > limit;
  if (more) rows.pop_back();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) out.push_back(request_json(c, r));
  auto res = json_response(out);
  if (more)
    res.headers.set("Link", "<" + c.link_with("p", std::to_string(page + 1)) + ">; rel=\"next\"");
  return res;
}

Result<http::Response> handle_request(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, 64 << 10));
  auto user = WHARF_TRY(string_field(body, "user", true));
  auto status = WHARF_TRY(string_field(body, "status", true));
  auto reason = WHARF_TRY(string_field(body, "rejectionReason", false));
  WHARF_TRY_VOID(hub::handle_access_request(c.hub, c.who, c.route.repo, user, status, reason));
  return json_response({{"user", user}, {"status", status}});
}

Result<http::Response> grant(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, 64 << 10));
  auto user = WHARF_TRY(string_field(body, "user", true));
  WHARF_TRY_VOID(hub::grant_access(c.hub, c.who, c.route.repo, user));
  return json_response({{"user", user}, {"status", "accepted"}});
}

// The form's answers, from a JSON object or an urlencoded body; "csrf" is taken out.
struct AskForm {
  hub::GateAnswers answers;
  std::string csrf;
};

Result<AskForm> read_ask_form(http::Request& req) {
  auto body = WHARF_TRY(req.read_body(kMaxAskBody));
  AskForm form;
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string ctype = req.headers.get("Content-Type").value_or("");
  if (body.empty()) return form;
  if (ctype.starts_with("application/json")) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object()) return fail(errors::bad_request("The request body must be a JSON object"));
    for (const auto& [key, value] : j.items()) {
      if (value.is_null()) continue;
      if (value.is_string())
        pairs.emplace_back(key, value.get<std::string>());
      else if (value.is_boolean() || value.is_number())
        pairs.emplace_back(key, value.dump());
      else
        return fail(errors::bad_request("The answer to \"" + key + "\" must be a string"));
    }
  } else if (ctype.starts_with("application/x-www-form-urlencoded")) {
    pairs = QueryParams::parse(body).items();
  } else {
    return fail(errors::bad_request(
        "Send the form as application/json or application/x-www-form-urlencoded"));
  }
  if (pairs.size() > kMaxAskFields) return fail(errors::bad_request("Too many form fields"));
  for (auto& [key, value] : pairs) {
    if (key == "csrf")
      form.csrf = std::move(value);
    else
      form.answers.emplace_back(std::move(key), std::move(value));
  }
  return form;
}

}  // namespace

Result<http::Response> handle_access_requests(Call& c) {
  const std::string& action = c.route.path;
  bool read = c.req.method == "GET" || c.req.method == "HEAD";
  if (action == "handle" || action == "grant") {
    if (c.req.method != "POST")
      return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
    return action == "handle" ? handle_request(c) : grant(c);
  }
  if (!read)
    return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
  return list_requests(c, action);
}

Result<http::Response> handle_ask_access(Call& c) {
  auto form = WHARF_TRY(read_ask_form(c.req));
  hub::Identity who = c.who;
  bool by_session = false;
  if (!who.authenticated()) {
    auto secret = c.req.cookie(hub::kSessionCookie);
    if (secret && !secret->empty()) {
      who = WHARF_TRY(hub::authenticate_session(c.hub, *secret));
      who.remote_address = c.who.remote_address;
      // A web form must prove it came from our page: its session's CSRF token.
      if (who.session &&
          (who.session->csrf.empty() || !constant_time_equal(form.csrf, who.session->csrf)))
        return fail(
            errors::forbidden("Invalid or missing CSRF token; reload the page and try again"));
      by_session = who.authenticated();
    }
  }
  auto status = WHARF_TRY(hub::ask_access(c.hub, who, c.route.repo, form.answers));
  if (!by_session) return json_response({{"status", status}});
  // A browser's form post goes back to the repo page, as on the Hub.
  auto res = json_response({{"status", status}}, 303);
  res.headers.set("Location", c.repo_url(c.route.repo));
  return res;
}

}  // namespace wharf::api
