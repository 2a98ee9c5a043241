// Repo lifecycle endpoints (spec §4): create, delete, move, settings, validate-yaml, auth-check.
#include "api/context.h"
#include "hub/card_tags.h"
#include "hub/front_matter.h"

namespace wharf::api {
namespace {

// The repo type of a request body's "type" (absent means model, as Python sends it).
Result<hub::RepoType> body_type(const nlohmann::json& body) {
  auto t = WHARF_TRY(string_field(body, "type", false, "model"));
  auto type = hub::parse_type(t);
  if (!type) return fail(errors::bad_request("Invalid repo type \"" + t + "\""));
  return *type;
}

// {name, organization} as clients send them; organization null means the caller's namespace.
Result<hub::RepoId> body_repo_id(const Call& c, const nlohmann::json& body) {
  auto type = WHARF_TRY(body_type(body));
  auto name = WHARF_TRY(string_field(body, "name", true));
  auto ns = WHARF_TRY(string_field(body, "organization", false));
  if (ns.empty()) {
    if (auto slash = name.find('/'); slash != std::string::npos) {
      ns = name.substr(0, slash);
      name = name.substr(slash + 1);
    } else if (c.who.user) {
      ns = c.who.user->name;
    } else {
      return fail(errors::unauthorized("You must be authenticated to name a repository without its namespace"));
    }
  }
  return hub::RepoId{type, ns, name};
}

Result<std::optional<bool>> visibility_of(const nlohmann::json& body) {
  if (auto it = body.find("visibility"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return fail(errors::bad_request("visibility must be a string"));
    auto v = it->get<std::string>();
    if (v == "public") return std::optional<bool>(false);
    if (v == "private" || v == "protected") return std::optional<bool>(true);
    return fail(errors::bad_request("visibility must be public, private or protected"));
  }
  if (auto it = body.find("private"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return fail(errors::bad_request("private must be a boolean"));
    return std::optional<bool>(it->get<bool>());
  }
  return std::optional<bool>();
}

Result<std::vector<std::pair<std::string, std::string>>> initial_files(const nlohmann::json& body) {
  std::vector<std::pair<std::string, std::string>> files;
  auto it = body.find("files");
  if (it == body.end() || it->is_null()) return files;
  if (!it->is_array()) return fail(errors::bad_request("files must be an array"));
  for (const auto& f : *it) {
    auto path = WHARF_TRY(string_field(f, "path", true));
    auto content = WHARF_TRY(string_field(f, "content", true));
    auto encoding = WHARF_TRY(string_field(f, "encoding", false, "utf-8"));
    if (encoding == "base64") {
      auto decoded = base64_decode(content);
      if (!decoded) return fail(errors::bad_request("Invalid base64 content for " + path));
      content = std::move(*decoded);
    } else if (encoding != "utf-8") {
      return fail(errors::bad_request("Unknown encoding \"" + encoding + "\""));
    }
    files.emplace_back(std::move(path), std::move(content));
  }
  return files;
}

}  // namespace

Result<http::Response> handle_repo_create(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, 64 << 20));
  hub::CreateRepoParams p;
  p.id = WHARF_TRY(body_repo_id(c, body));
  p.is_private = WHARF_TRY(visibility_of(body)).value_or(false);
  p.sdk = WHARF_TRY(string_field(body, "sdk", false));
  if (p.id.type == hub::RepoType::Space && p.sdk.empty())
    return fail(errors::bad_request("A Space needs an sdk (gradio, streamlit, docker or static)"));
  p.license = WHARF_TRY(string_field(body, "license", false));
  p.files = WHARF_TRY(initial_files(body));
  auto row = hub::create_repo(c.hub, c.who, p);
  if (!row) {
    Error e = std::move(row.error());
    if (e.status == 409) e.extra_json = nlohmann::json{{"url", c.repo_url(p.id)}}.dump();
    return fail(std::move(e));
  }
  auto id = hub::id_of(*row);
  return json_response({{"url", c.repo_url(id)}, {"name", id.full()}, {"id", row->object_id}});
}

Result<http::Response> handle_repo_delete(Call& c) {
  auto body = WHARF_TRY(read_json(c.req));
  auto id = WHARF_TRY(body_repo_id(c, body));
  WHARF_TRY_VOID(hub::delete_repo(c.hub, c.who, id));
  return json_response(nlohmann::json::object());
}

Result<http::Response> handle_repo_move(Call& c) {
  auto body = WHARF_TRY(read_json(c.req));
  auto type = WHARF_TRY(body_type(body));
  auto split = [&](const std::string& key) -> Result<hub::RepoId> {
    auto full = WHARF_TRY(string_field(body, key.c_str(), true));
    auto slash = full.find('/');
    if (slash == std::string::npos) return fail(errors::bad_request(key + " must be \"namespace/name\""));
    return hub::RepoId{type, full.substr(0, slash), full.substr(slash + 1)};
  };
  auto from = WHARF_TRY(split("fromRepo"));
  auto to = WHARF_TRY(split("toRepo"));
  WHARF_TRY_VOID(hub::move_repo(c.hub, c.who, from, to));
  return json_response({{"url", c.repo_url(to)}});
}

Result<http::Response> handle_repo_settings(Call& c) {
  auto body = WHARF_TRY(read_json(c.req));
  if (!body.is_object()) return fail(errors::bad_request("The request body must be a JSON object"));
  hub::RepoSettings s;
  s.is_private = WHARF_TRY(visibility_of(body));
  if (auto it = body.find("gated"); it != body.end() && !it->is_null()) {
    if (it->is_boolean() && !it->get<bool>()) s.gated = "";
    else if (it->is_string()) s.gated = it->get<std::string>();
    else return fail(errors::bad_request("gated must be \"auto\", \"manual\" or false"));
  }
  if (auto it = body.find("discussionsDisabled"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return fail(errors::bad_request("discussionsDisabled must be a boolean"));
    s.discussions_disabled = it->get<bool>();
  }
  WHARF_TRY_VOID(hub::update_settings(c.hub, c.who, c.route.repo, s));
  return json_response(nlohmann::json::object());
}

Result<http::Response> handle_validate_yaml(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, 8 << 20));
  auto content = WHARF_TRY(string_field(body, "content", true));
  auto repo_type = WHARF_TRY(string_field(body, "repoType", false, "model"));
  auto split = hub::split_front_matter(content);
  nlohmann::json errors_list = nlohmann::json::array();
  nlohmann::json warnings_list = nlohmann::json::array();
  if (split.present) {
    auto parsed = hub::parse_yaml(split.yaml);
    if (!parsed) {
      errors_list.push_back({{"message", parsed.error().message}});
    } else {
      auto report = hub::validate_card(*parsed, repo_type);
      for (auto& m : report.errors) errors_list.push_back({{"message", std::move(m)}});
      for (auto& m : report.warnings) warnings_list.push_back({{"message", std::move(m)}});
    }
  }
  nlohmann::json out = {{"errors", errors_list}, {"warnings", warnings_list}};
  return json_response(out, errors_list.empty() ? 200 : 400);
}

Result<http::Response> handle_auth_check(Call& c) {
  bool write = c.route.path == "write";
  WHARF_TRY(c.open(write ? hub::Access::Write : hub::Access::Read));
  return json_response(nlohmann::json::object());
}

}  // namespace wharf::api
