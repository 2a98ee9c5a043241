// Branches, tags and super-squash (spec §9.2, §9.3, §9.5).
#include "api/context.h"
#include "hub/refs.h"

namespace wharf::api {
namespace {

Result<bool> bool_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  if (!it->is_boolean()) return fail(errors::bad_request(std::string("Field \"") + key + "\" must be a boolean"));
  return it->get<bool>();
}

}  // namespace

Result<http::Response> handle_branch(Call& c) {
  if (c.req.method != "POST" && c.req.method != "DELETE")
    return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
  auto repo = WHARF_TRY(c.open(hub::Access::Write));
  if (c.req.method == "DELETE") {
    WHARF_TRY_VOID(hub::delete_branch(c.hub, repo, c.route.rev));
    return json_response(nlohmann::json::object());
  }
  auto body = WHARF_TRY(read_json(c.req));
  hub::BranchParams p;
  p.name = c.route.rev;
  p.starting_point = WHARF_TRY(string_field(body, "startingPoint", false));
  p.empty = WHARF_TRY(bool_field(body, "emptyBranch"));
  p.overwrite = WHARF_TRY(bool_field(body, "overwrite"));
  WHARF_TRY_VOID(hub::create_branch(c.hub, repo, c.who, p));
  return json_response(nlohmann::json::object());
}

Result<http::Response> handle_tag(Call& c) {
  if (c.req.method != "POST" && c.req.method != "DELETE")
    return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
  auto repo = WHARF_TRY(c.open(hub::Access::Write));
  if (c.req.method == "DELETE") {
    WHARF_TRY_VOID(hub::delete_tag(repo, c.route.rev));
    return json_response(nlohmann::json::object());
  }
  auto body = WHARF_TRY(read_json(c.req));
  auto tag = WHARF_TRY(string_field(body, "tag", true));
  auto message = WHARF_TRY(string_field(body, "message", false));
  WHARF_TRY_VOID(hub::create_tag(repo, c.who, c.route.rev, tag, message));
  return json_response(nlohmann::json::object());
}

Result<http::Response> handle_super_squash(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Write));
  auto body = WHARF_TRY(read_json(c.req));
  auto message = WHARF_TRY(string_field(body, "message", false));
  auto commit = WHARF_TRY(hub::super_squash(c.hub, repo, c.who, c.route.rev, message));
  return json_response({{"commitId", commit}});
}

}  // namespace wharf::api
