// Access tokens of the caller: GET and POST /api/settings/tokens, DELETE
// /api/settings/tokens/{id}. The secret is in the POST answer only.
#include <charconv>
#include <ctime>

#include "api/accounts_api.h"
#include "hub/tokens.h"
#include "util/time.h"

namespace wharf::api {
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
  return ec == std::errc() && end == s.data() + at + n;
}

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC) as unix milliseconds.
Result<int64_t> parse_date(const std::string& s) {
  auto bad = [&] {
    return fail(errors::bad_request("Invalid expiresAt \"" + s + "\": expected an ISO 8601 UTC date such as "
                                    "2030-01-31T00:00:00.000Z"));
  };
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day))
    return bad();
  std::size_t at = 10;
  if (s.size() > 10) {
    if (s.size() < 20 || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
      return bad();
    at = 19;
    if (s[at] == '.') {
      std::size_t end = at + 1;
      while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
      if (end == at + 1 || end - at - 1 > 9) return bad();
      std::string frac = s.substr(at + 1, std::min<std::size_t>(3, end - at - 1));
      while (frac.size() < 3) frac += '0';
      digits(frac, 0, 3, millis);
      at = end;
    }
    if (at + 1 != s.size() || s[at] != 'Z') return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad();
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::tm check = tm;
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1) || tm.tm_mday != check.tm_mday) return bad();  // 31 February
  return static_cast<int64_t>(t) * 1000 + millis;
}

Result<std::vector<std::string>> string_list(const nlohmann::json& j, const char* what) {
  if (!j.is_array()) return fail(errors::bad_request(std::string(what) + " must be an array of strings"));
  std::vector<std::string> out;
  for (const auto& e : j) {
    if (!e.is_string()) return fail(errors::bad_request(std::string(what) + " must be an array of strings"));
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<std::vector<storage::TokenScope>> parse_scopes(const nlohmann::json& body) {
  std::vector<storage::TokenScope> out;
  auto it = body.find("scopes");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return fail(errors::bad_request("scopes must be an array"));
  for (const auto& s : *it) {
    if (!s.is_object()) return fail(errors::bad_request("Each scope must be an object"));
    storage::TokenScope scope;
    scope.entity_type = WHARF_TRY(string_field(s, "entityType", true));
    scope.entity = WHARF_TRY(string_field(s, "entity", true));
    auto perms = s.find("permissions");
    if (perms == s.end()) return fail(errors::bad_request("Missing field \"permissions\" in a scope"));
    scope.permissions = WHARF_TRY(string_list(*perms, "permissions"));
    out.push_back(std::move(scope));
  }
  return out;
}

nlohmann::json token_json(const storage::TokenRow& t) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& s : t.scopes)
    scopes.push_back({{"entityType", s.entity_type}, {"entity", s.entity}, {"permissions", s.permissions}});
  return {{"id", std::to_string(t.id)},
          {"name", t.name},
          {"role", t.role},
          {"createdAt", format_iso8601(t.created_ms)},
          {"expiresAt", t.expires_ms ? nlohmann::json(format_iso8601(t.expires_ms)) : nlohmann::json(nullptr)},
          {"scopes", scopes}};
}

Result<http::Response> list(Call& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : WHARF_TRY(hub::list_own_tokens(c.hub, c.who))) out.push_back(token_json(t));
  return json_response(out);
}

Result<http::Response> create(Call& c) {
  WHARF_TRY_VOID(hub::check_account_write(c.who));  // before reading what an anonymous caller sent
  auto body = WHARF_TRY(read_json(c.req, 64 << 10));
  hub::NewToken spec;
  spec.name = WHARF_TRY(string_field(body, "name", true));
  spec.role = WHARF_TRY(string_field(body, "role", true));
  auto expires = WHARF_TRY(string_field(body, "expiresAt", false));
  if (!expires.empty()) spec.expires_ms = WHARF_TRY(parse_date(expires));
  spec.scopes = WHARF_TRY(parse_scopes(body));
  auto created = WHARF_TRY(hub::create_own_token(c.hub, c.who, spec));
  auto out = token_json(created.row);
  out["token"] = created.secret;
  return json_response(out);
}

Result<http::Response> revoke(Call& c, const std::string& id_text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || id <= 0) {
    WHARF_TRY_VOID(hub::check_account_write(c.who));
    return fail(errors::not_found("Token not found"));
  }
  WHARF_TRY_VOID(hub::revoke_own_token(c.hub, c.who, id));
  return json_response(nlohmann::json::object());
}

}  // namespace

Result<http::Response> handle_tokens(Call& c, const Segments& s) {
  const auto& m = c.req.method;
  if (s.size() == 2) {
    if (m == "GET" || m == "HEAD") return list(c);
    return m == "POST" ? create(c) : method_not_allowed_here();
  }
  if (s.size() == 3) return m == "DELETE" ? revoke(c, s[2]) : method_not_allowed_here();
  return unknown_route();
}

}  // namespace wharf::api
