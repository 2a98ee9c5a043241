#include "api/context.h"

namespace wharf::api {

std::string Call::repo_url(const hub::RepoId& id) const {
  return options.public_url + "/" + std::string(hub::url_prefix(id.type)) + id.full();
}

std::string Call::link_with(std::string_view key, std::string_view value) const {
  return options.public_url + req.path + "?" + query.with(key, value);
}

http::Response json_response(const nlohmann::json& body, int status) {
  return http::Response::json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<nlohmann::json> read_json(http::Request& req, std::size_t limit) {
  auto body = WHARF_TRY(req.read_body(limit));
  if (body.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return fail(errors::bad_request("The request body is not valid JSON"));
  return j;
}

Result<std::string> string_field(const nlohmann::json& j, const char* key, bool required, std::string fallback) {
  if (!j.is_object()) return fail(errors::bad_request("The request body must be a JSON object"));
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return fail(errors::bad_request(std::string("Missing field \"") + key + "\""));
    return fallback;
  }
  if (!it->is_string()) return fail(errors::bad_request(std::string("Field \"") + key + "\" must be a string"));
  return it->get<std::string>();
}

}  // namespace wharf::api
