// File downloads (spec §7): HEAD|GET /{prefix}{id}/resolve/{rev}/{path} and /raw/.
#include "api/context.h"
#include "api/entries.h"
#include "api/file_response.h"
#include "util/log.h"
#include "util/repo_path.h"
#include "util/time.h"

namespace wharf::api {
namespace {

Error with_commit(Error e, const std::string& commit) {
  return std::move(e).with_header("X-Repo-Commit", commit);
}

std::string content_disposition(const std::string& path) {
  std::string name = path.substr(path.rfind('/') + 1);
  std::string ascii;
  for (char ch : name) ascii += (static_cast<unsigned char>(ch) < 0x20 || ch == '"' || ch == '\\' || ch & 0x80) ? '_' : ch;
  return "inline; filename*=UTF-8''" + percent_encode(name) + "; filename=\"" + ascii + "\";";
}

}  // namespace

Result<http::Response> handle_resolve(Call& c, bool raw) {
  auto repo = WHARF_TRY(c.open(hub::Access::Content));
  auto commit = WHARF_TRY(repo.git.resolve_revision(c.route.rev));
  const std::string& path = c.route.path;
  if (path.empty() || invalid_repo_path(path)) return fail(with_commit(errors::entry_not_found(), commit));
  auto entry = repo.git.stat(commit, path);
  if (!entry) return fail(with_commit(std::move(entry.error()), commit));
  if (!*entry || (*entry)->type != storage::EntryType::File)
    return fail(with_commit(errors::entry_not_found(), commit));
  const auto& e = **entry;

  auto pointer = lfs_pointer_of(repo.git, e);
  if (!pointer) return fail(with_commit(std::move(pointer.error()), commit));
  FileContent content;
  std::string etag = e.oid;
  if (*pointer && !raw) {
    auto blob = c.hub.blobs().open_blob((*pointer)->oid);
    if (!blob) {
      log::error("LFS object " + (*pointer)->oid + " of " + repo.id.full() + ":" + path + " is missing from the store");
      return fail(with_commit(errors::internal("The LFS object of this file is missing on the server"), commit));
    }
    content.blob.emplace(std::move(*blob));
    etag = (*pointer)->oid;
  } else {
    auto bytes = repo.git.read_blob(e.oid);
    if (!bytes) return fail(with_commit(std::move(bytes.error()), commit));
    content.bytes = std::move(*bytes);
  }
  uint64_t size = content.size();
  auto res = file_response(c.req, std::move(content), etag, guess_content_type(path));
  if (!res) return fail(with_commit(std::move(res.error()), commit));
  res->headers.set("X-Repo-Commit", commit);
  res->headers.set("X-Linked-Etag", "\"" + etag + "\"");
  res->headers.set("X-Linked-Size", std::to_string(size));
  res->headers.set("X-Content-Type-Options", "nosniff");
  if (!c.query.flag("noContentDisposition")) res->headers.set("Content-Disposition", content_disposition(path));
  // Counted once the file is being served: refused, missing and unsatisfiable requests are not.
  c.hub.downloads().record(
      {repo.row.id, repo.id.type, repo.row.library_name, path, c.who.remote_address}, now_ms());
  return res;
}

}  // namespace wharf::api
