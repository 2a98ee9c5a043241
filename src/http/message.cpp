#include "http/message.h"

#include <strings.h>

#include <nlohmann/json.hpp>

namespace wharf::http {
namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : fields_)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto header = headers.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

Result<std::string> Request::read_body(std::size_t limit) {
  if (content_length && *content_length > limit)
    return fail(errors::payload_too_large("Request body too large"));
  std::string out;
  if (content_length) out.reserve(*content_length);
  char buf[64 * 1024];
  for (;;) {
    auto n = WHARF_TRY(body_->read(buf, sizeof buf));
    if (n == 0) break;
    if (out.size() + n > limit) return fail(errors::payload_too_large("Request body too large"));
    out.append(buf, n);
  }
  return out;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response error_response(const Error& e) {
  nlohmann::json body = nlohmann::json::object();
  if (!e.extra_json.empty()) {
    auto extra = nlohmann::json::parse(e.extra_json, nullptr, false);
    if (extra.is_object()) body = std::move(extra);
  }
  body["error"] = e.message;
  Response r = Response::json(e.status, body.dump());
  if (!e.code.empty()) r.headers.set("X-Error-Code", e.code);
  // Header values must stay on one line and hold no control characters.
  std::string msg = e.message;
  for (char& c : msg)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  r.headers.set("X-Error-Message", msg);
  for (const auto& [k, v] : e.headers) r.headers.set(k, v);
  return r;
}

}  // namespace wharf::http
