// The LFS batch API and its transfers (spec §10.3, §17.2), under /{prefix}{id}.git/info/lfs/.
//
// Transfer URLs authenticate themselves: Python and JS PUT without Authorization, so each
// href carries an expiry and an HMAC of its purpose under the server secret.
#include "api/context.h"
#include "api/file_response.h"
#include "hub/uploads.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr const char* kLfsType = "application/vnd.git-lfs+json";

http::Response lfs_json(const nlohmann::json& body, int status = 200) {
  auto r = json_response(body, status);
  r.headers.set("Content-Type", kLfsType);
  return r;
}

// git-lfs reads "message"; the Hub clients read "error".
Error lfs_error(Error e) {
  e.extra_json = nlohmann::json{{"message", e.message}}.dump();
  if (e.status == 401) e.headers.emplace_back("LFS-Authenticate", "Basic realm=\"wharf\"");
  return e;
}

std::string base_url(const Call& c) {
  return c.options.public_url + "/" + std::string(hub::url_prefix(c.route.repo.type)) + c.route.repo.full() +
         ".git/info/lfs";
}

std::string signed_query(const Call& c, const std::string& purpose, int64_t expires) {
  return "?exp=" + std::to_string(expires) + "&sig=" + hub::sign_transfer(c.hub, purpose, expires);
}

Result<void> check_signature(const Call& c, const std::string& purpose) {
  auto exp = c.query.get("exp");
  auto sig = c.query.get("sig");
  int64_t expires = 0;
  if (exp && !exp->empty() && exp->size() < 15 && exp->find_first_not_of("0123456789") == std::string::npos)
    expires = std::stoll(*exp);
  if (!sig || !hub::verify_transfer(c.hub, purpose, expires, *sig))
    return fail(errors::forbidden("This transfer URL is invalid or has expired"));
  return {};
}

Result<std::vector<std::pair<std::string, uint64_t>>> batch_objects(const nlohmann::json& body) {
  auto it = body.find("objects");
  if (it == body.end() || !it->is_array()) return fail(errors::bad_request("objects must be an array"));
  if (it->size() > 1000) return fail(errors::payload_too_large("At most 1000 objects per batch"));
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& o : *it) {
    auto oid = WHARF_TRY(string_field(o, "oid", true));
    auto size = o.find("size");
    if (!is_lower_hex(oid, 64)) return fail(errors::bad_request("Invalid oid \"" + oid + "\": expected a sha256"));
    if (size == o.end() || !size->is_number_unsigned()) return fail(errors::bad_request("Invalid size for " + oid));
    out.emplace_back(oid, size->get<uint64_t>());
  }
  return out;
}

nlohmann::json object_json(const Call& c, const hub::LfsObjectAnswer& a, int64_t expires) {
  using Action = hub::LfsObjectAnswer::Action;
  nlohmann::json o = {{"oid", a.oid}, {"size", a.size}};
  std::string base = base_url(c);
  switch (a.action) {
    case Action::None: break;
    case Action::Error: o["error"] = {{"code", a.error_code}, {"message", a.error_message}}; break;
    case Action::Download:
      o["authenticated"] = true;
      o["actions"]["download"] = {{"href", base + "/objects/" + a.oid + signed_query(c, "get\n" + a.oid, expires)},
                                  {"expires_in", c.options.transfer_url_ttl_s}};
      break;
    case Action::Upload: {
      std::string purpose = "put\n" + c.route.repo.full() + "\n" + a.oid + "\n" + std::to_string(a.size);
      o["authenticated"] = true;
      o["actions"]["upload"] = {
          {"href", base + "/objects/" + a.oid + signed_query(c, purpose, expires) + "&size=" + std::to_string(a.size)},
          {"expires_in", c.options.transfer_url_ttl_s}};
      auto auth = c.req.headers.get("Authorization");
      o["actions"]["verify"] = {{"href", base + "/objects/" + a.oid + "/verify"}};
      if (auth) o["actions"]["verify"]["header"] = {{"Authorization", *auth}};
      break;
    }
    case Action::Multipart: {
      nlohmann::json header = nlohmann::json::object();
      header["chunk_size"] = std::to_string(a.chunk_size);
      for (int i = 1; i <= a.part_count; ++i) {
        char key[16];
        std::snprintf(key, sizeof key, "%05d", i);
        header[key] = base + "/multipart/" + a.upload_id + "/" + std::to_string(i) +
                      signed_query(c, "part\n" + a.upload_id, expires);
      }
      o["authenticated"] = true;
      o["actions"]["upload"] = {
          {"href", base + "/multipart/" + a.upload_id + signed_query(c, "complete\n" + a.upload_id, expires)},
          {"header", header},
          {"expires_in", c.options.transfer_url_ttl_s}};
      break;
    }
  }
  return o;
}

Result<http::Response> batch(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, 4 << 20));
  auto op = WHARF_TRY(string_field(body, "operation", true));
  if (op != "upload" && op != "download") return fail(errors::bad_request("operation must be upload or download"));
  auto objects = WHARF_TRY(batch_objects(body));
  bool upload = op == "upload";
  // Uploads need only the right to open a pull request: a contributor's LFS objects stay
  // pending until a commit (to a branch by a writer, or to a PR) takes them.
  auto repo = WHARF_TRY(c.open(upload ? hub::Access::Discuss : hub::Access::Content));
  auto answers = WHARF_TRY(hub::lfs_batch(c.hub, repo, upload ? hub::LfsOperation::Upload : hub::LfsOperation::Download,
                                          objects));
  int64_t expires = now_ms() / 1000 + c.options.transfer_url_ttl_s;
  nlohmann::json out = {{"transfer", "basic"}, {"objects", nlohmann::json::array()}, {"hash_algo", "sha256"}};
  for (const auto& a : answers) out["objects"].push_back(object_json(c, a, expires));
  return lfs_json(out);
}

Result<http::Response> put_object(Call& c, const std::string& oid) {
  auto size_param = c.query.get("size").value_or("");
  if (size_param.empty() || size_param.size() > 19 || size_param.find_first_not_of("0123456789") != std::string::npos)
    return fail(errors::bad_request("Missing size"));
  uint64_t size = std::stoull(size_param);
  WHARF_TRY_VOID(check_signature(c, "put\n" + c.route.repo.full() + "\n" + oid + "\n" + size_param));
  if (c.req.content_length && *c.req.content_length != size)
    return fail(errors::bad_request("Content-Length does not match the object size"));
  auto repo = WHARF_TRY(hub::open_repo_for_transfer(c.hub, c.route.repo));
  WHARF_TRY_VOID(hub::lfs_receive(c.hub, repo.row.id, oid, size, c.req.body()));
  return lfs_json(nlohmann::json::object());
}

Result<http::Response> get_object(Call& c, const std::string& oid) {
  WHARF_TRY_VOID(check_signature(c, "get\n" + oid));
  auto blob = c.hub.blobs().open_blob(oid);
  if (!blob) return fail(errors::not_found("Object does not exist"));
  FileContent content;
  content.blob.emplace(std::move(*blob));
  return file_response(c.req, std::move(content), oid, "application/octet-stream");
}

Result<http::Response> verify(Call& c, const std::string& oid) {
  WHARF_TRY(c.open(hub::Access::Discuss));
  auto body = WHARF_TRY(read_json(c.req));
  auto size = body.find("size");
  auto stored = c.hub.blobs().size(oid);
  if (!stored || (size != body.end() && size->is_number_unsigned() && size->get<uint64_t>() != *stored))
    return fail(errors::not_found("Object " + oid + " was not uploaded"));
  return lfs_json({{"oid", oid}, {"size", *stored}});
}

Result<http::Response> put_part(Call& c, const std::string& upload_id, const std::string& part) {
  WHARF_TRY_VOID(check_signature(c, "part\n" + upload_id));
  if (part.empty() || part.size() > 5 || part.find_first_not_of("0123456789") != std::string::npos)
    return fail(errors::bad_request("Invalid part number"));
  auto etag = WHARF_TRY(hub::lfs_receive_part(c.hub, upload_id, std::stoi(part), c.req.body()));
  auto res = lfs_json(nlohmann::json::object());
  res.headers.set("ETag", "\"" + etag + "\"");
  return res;
}

Result<http::Response> complete(Call& c, const std::string& upload_id) {
  WHARF_TRY_VOID(check_signature(c, "complete\n" + upload_id));
  auto body = WHARF_TRY(read_json(c.req));
  auto oid = WHARF_TRY(string_field(body, "oid", true));
  auto parts_it = body.find("parts");
  if (parts_it == body.end() || !parts_it->is_array()) return fail(errors::bad_request("parts must be an array"));
  std::vector<hub::CompletedPart> parts;
  for (const auto& p : *parts_it) {
    auto n = p.find("partNumber");
    if (n == p.end() || !n->is_number_integer()) return fail(errors::bad_request("partNumber must be an integer"));
    auto etag = WHARF_TRY(string_field(p, "etag", true));
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    parts.push_back({n->get<int>(), etag});
  }
  WHARF_TRY_VOID(hub::lfs_complete(c.hub, upload_id, oid, parts));
  return lfs_json(nlohmann::json::object());
}

// Splits "a/b/c" into its segments.
std::vector<std::string> segments(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    auto j = s.find('/', i);
    if (j == std::string::npos) j = s.size();
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<http::Response> handle_lfs(Call& c) {
  auto seg = segments(c.route.sub);
  const auto& m = c.req.method;
  Result<http::Response> r = fail(errors::not_found("Unknown LFS route"));
  if (seg.size() >= 1 && seg[0] == "locks") {
    r = fail(errors::not_implemented("LFS locks are not supported"));
  } else if (seg.size() == 2 && seg[0] == "objects" && seg[1] == "batch" && m == "POST") {
    r = batch(c);
  } else if (seg.size() >= 2 && seg[0] == "objects" && is_lower_hex(seg[1], 64)) {
    if (seg.size() == 2 && m == "PUT") r = put_object(c, seg[1]);
    else if (seg.size() == 2 && (m == "GET" || m == "HEAD")) r = get_object(c, seg[1]);
    else if (seg.size() == 3 && seg[2] == "verify" && m == "POST") r = verify(c, seg[1]);
  } else if (seg.size() == 3 && seg[0] == "multipart" && m == "PUT") {
    r = put_part(c, seg[1], seg[2]);
  } else if (seg.size() == 2 && seg[0] == "multipart" && m == "POST") {
    r = complete(c, seg[1]);
  }
  if (!r) return fail(lfs_error(std::move(r.error())));
  return r;
}

}  // namespace wharf::api
