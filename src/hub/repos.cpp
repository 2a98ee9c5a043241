#include "hub/repos.h"

#include <filesystem>

#include "hub/audit.h"
#include "hub/discovery.h"
#include "hub/indexer.h"
#include "hub/path_patterns.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/repo_path.h"
#include "util/time.h"

namespace wharf::hub {
namespace fs = std::filesystem;

namespace {

storage::Signature system_signature() { return {"system", "system@wharf", now_ms()}; }

// Moves a directory out of the way, then removes it: the rename is atomic, the removal may
// be interrupted without leaving a half-deleted repo under a live name.
void remove_dir(Hub& hub, const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  std::string trash = hub.tmp_dir() + "/trash-" + random_hex(16);
  fs::rename(path, trash, ec);
  if (ec) {
    log::error("cannot move " + path + " to trash: " + ec.message());
    return;
  }
  fs::remove_all(trash, ec);
  if (ec) log::warn("cannot remove " + trash + ": " + ec.message());
}

std::string readme_with_license(const std::string& license) {
  return "---\nlicense: " + license + "\n---\n";
}

// Builds the repository in tmp/ and returns its directory.
Result<std::string> build_initial_repo(Hub& hub, const CreateRepoParams& p) {
  std::string dir = hub.tmp_dir() + "/new-" + random_hex(16) + ".git";
  auto git = WHARF_TRY(storage::GitRepo::init_bare(dir, "main"));
  auto fail_clean = [&](Error e) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    return fail(std::move(e));
  };
  std::vector<storage::TreeEdit> edits;
  auto attrs = git.write_blob(default_gitattributes());
  if (!attrs) return fail_clean(attrs.error());
  edits.push_back({storage::TreeEdit::Kind::Upsert, ".gitattributes", *attrs});
  auto first = git.commit_edits("", edits, system_signature(), "initial commit");
  if (!first) return fail_clean(first.error());
  std::string head = *first;

  std::vector<std::pair<std::string, std::string>> files = p.files;
  if (!p.license.empty()) files.emplace_back("README.md", readme_with_license(p.license));
  if (!files.empty()) {
    edits.clear();
    for (const auto& [path, content] : files) {
      if (auto why = invalid_repo_path(path)) return fail_clean(errors::bad_request("Invalid path '" + path + "': " + *why));
      auto blob = git.write_blob(content);
      if (!blob) return fail_clean(blob.error());
      edits.push_back({storage::TreeEdit::Kind::Upsert, path, *blob});
    }
    auto second = git.commit_edits(head, edits, system_signature(), "Add initial files");
    if (!second) return fail_clean(second.error());
    head = *second;
  }
  auto moved = git.update_ref("refs/heads/main", head, "", "create repository");
  if (!moved) return fail_clean(moved.error());
  return dir;
}

}  // namespace

RepoId id_of(const storage::RepoRow& row) {
  return RepoId{parse_type(row.type).value_or(RepoType::Model), row.ns, row.name};
}

Result<RepoHandle> open_repo(Hub& hub, const Identity& who, const RepoId& id, Access access) {
  std::string type(type_name(id.type));
  auto row = WHARF_TRY(hub.db().find_repo(type, id.ns, id.name));
  if (!row) {
    auto moved = WHARF_TRY(hub.db().find_redirect(type, id.ns, id.name));
    if (moved && check_repo_access(hub, who, *moved, Access::Read))
      return fail(Error{307, "RepoMoved", moved->ns + "/" + moved->name, {}, {}});
    return fail(errors::repo_not_found(who.authenticated()));
  }
  WHARF_TRY_VOID(check_repo_access(hub, who, *row, access));
  RepoId canonical = id_of(*row);
  auto git = hub.take_git(hub.repo_path(canonical));
  if (!git) {
    log::error("repo row " + canonical.full() + " has no readable git repository: " + git.error().message);
    return fail(errors::internal("Repository storage is unavailable"));
  }
  return RepoHandle(std::move(*row), canonical, std::move(*git), &hub);
}

Result<RepoHandle> open_repo_for_transfer(Hub& hub, const RepoId& id) {
  storage::UserRow operator_user;
  operator_user.is_admin = true;
  return open_repo(hub, Identity{operator_user, std::nullopt, std::nullopt, {}}, id, Access::Read);
}

Result<storage::RepoRow> create_repo(Hub& hub, const Identity& who, const CreateRepoParams& p) {
  auto id = WHARF_TRY(make_repo_id(p.id.type, p.id.ns, p.id.name));
  if (is_reserved_namespace(id.ns)) return fail(errors::bad_request("The namespace '" + id.ns + "' is reserved"));
  WHARF_TRY_VOID(check_namespace_write(hub, who, id.ns));
  // The namespace keeps its owner's spelling ("ACME/x" for the org "acme" is "acme/x").
  if (auto owner = WHARF_TRY(hub.db().find_user(id.ns))) id.ns = owner->name;
  std::string type(type_name(id.type));

  std::lock_guard lock(hub.lifecycle_mutex());
  if (WHARF_TRY(hub.db().find_repo(type, id.ns, id.name)))
    return fail(errors::conflict("You already created this " + type + " repo"));
  std::string dir = WHARF_TRY(build_initial_repo(hub, p));
  std::string final_path = hub.repo_path(id);
  remove_dir(hub, final_path);  // a leftover of a crash between rename and insert
  std::error_code ec;
  fs::create_directories(fs::path(final_path).parent_path(), ec);
  fs::rename(dir, final_path, ec);
  if (ec) {
    fs::remove_all(dir, ec);
    return fail(errors::internal("Cannot store the repository"));
  }
  storage::RepoRow row;
  row.object_id = random_hex(24);
  row.type = type;
  row.ns = id.ns;
  row.name = id.name;
  row.is_private = p.is_private;
  row.sdk = p.sdk;
  row.created_by = who.user ? who.user->id : 0;
  row.created_ms = now_ms();
  row.last_modified_ms = row.created_ms;
  auto inserted = hub.db().insert_repo(row);
  if (!inserted) {
    remove_dir(hub, final_path);
    return fail(inserted.error());
  }
  auto git = WHARF_TRY(storage::GitRepo::open(final_path));
  WHARF_TRY_VOID(index_default_branch(hub, *inserted, git));
  auto created = WHARF_TRY(hub.db().find_repo(type, id.ns, id.name));
  if (!created) return fail(errors::internal("Repository vanished after creation"));
  audit(hub, who, id.ns, "repo.create", type + "/" + id.full(), {{"private", p.is_private}});
  return *created;
}

Result<void> delete_repo(Hub& hub, const Identity& who, const RepoId& id) {
  std::lock_guard lock(hub.lifecycle_mutex());
  auto h = open_repo(hub, who, id, Access::Admin);
  if (!h) {
    if (h.error().status == 307) return fail(errors::repo_not_found(who.authenticated()));
    return fail(h.error());
  }
  WHARF_TRY_VOID(hub.db().delete_repo(h->row.id));
  sync_catalog(hub, h->row.id);
  audit(hub, who, h->id.ns, "repo.delete", h->row.type + "/" + h->id.full());
  // A handle taken before this point may still return to the pool afterwards; it stays
  // correct for a repository re-created at the same path, as it reads refs and objects by
  // path and objects are addressed by their content.
  hub.forget_git(hub.repo_path(h->id));
  remove_dir(hub, hub.repo_path(h->id));
  return {};
}

Result<void> move_repo(Hub& hub, const Identity& who, const RepoId& from, const RepoId& to) {
  if (from.type != to.type) return fail(errors::bad_request("Cannot change the type of a repository"));
  auto target = WHARF_TRY(make_repo_id(to.type, to.ns, to.name));
  if (is_reserved_namespace(target.ns)) return fail(errors::bad_request("The namespace '" + target.ns + "' is reserved"));
  std::lock_guard lock(hub.lifecycle_mutex());
  auto h = open_repo(hub, who, from, Access::Admin);
  if (!h) {
    if (h.error().status == 307) return fail(errors::repo_not_found(who.authenticated()));
    return fail(h.error());
  }
  WHARF_TRY_VOID(check_namespace_write(hub, who, target.ns));
  if (auto owner = WHARF_TRY(hub.db().find_user(target.ns))) target.ns = owner->name;
  std::string type(type_name(target.type));
  if (auto existing = WHARF_TRY(hub.db().find_repo(type, target.ns, target.name)); existing && existing->id != h->row.id)
    return fail(errors::conflict("A " + type + " repo named " + target.full() + " already exists"));
  // The row moves first; a crash before the directory follows is mended by repair_repo_dirs.
  WHARF_TRY_VOID(hub.db().rename_repo(h->row.id, target.ns, target.name));
  std::string old_path = hub.repo_path(h->id), new_path = hub.repo_path(target);
  hub.forget_git(old_path);
  if (old_path != new_path) {
    std::error_code ec;
    fs::create_directories(fs::path(new_path).parent_path(), ec);
    fs::rename(old_path, new_path, ec);
    if (ec) {
      log::error("cannot move " + old_path + " to " + new_path + ": " + ec.message());
      WHARF_TRY_VOID(hub.db().rename_repo(h->row.id, h->id.ns, h->id.name));
      return fail(errors::internal("Cannot move the repository"));
    }
  }
  sync_catalog(hub, h->row.id);
  audit(hub, who, h->id.ns, "repo.move", h->row.type + "/" + h->id.full(), {{"to", target.full()}});
  if (target.ns != h->id.ns)
    audit(hub, who, target.ns, "repo.move", h->row.type + "/" + h->id.full(), {{"to", target.full()}});
  return {};
}

Result<void> update_settings(Hub& hub, const Identity& who, const RepoId& id, const RepoSettings& s) {
  auto h = WHARF_TRY(open_repo(hub, who, id, Access::Admin));
  if (s.gated && *s.gated != "" && *s.gated != "auto" && *s.gated != "manual")
    return fail(errors::bad_request("gated must be \"auto\", \"manual\" or false"));
  bool is_private = s.is_private.value_or(h.row.is_private);
  std::string gated = s.gated.value_or(h.row.gated);
  WHARF_TRY_VOID(hub.db().update_repo_settings(h.row.id, is_private, gated));
  sync_catalog(hub, h.row.id);
  std::string target = h.row.type + "/" + h.id.full();
  if (is_private != h.row.is_private)
    audit(hub, who, h.id.ns, "repo.visibility", target, {{"private", is_private}});
  if (gated != h.row.gated)
    audit(hub, who, h.id.ns, "repo.gating", target,
          {{"gated", gated.empty() ? nlohmann::json(false) : nlohmann::json(gated)}});
  if (s.discussions_disabled &&
      *s.discussions_disabled != WHARF_TRY(hub.db().discussions_disabled(h.row.id))) {
    WHARF_TRY_VOID(hub.db().set_discussions_disabled(h.row.id, *s.discussions_disabled));
    audit(hub, who, h.id.ns, "repo.discussions", target,
          {{"disabled", *s.discussions_disabled}});
  }
  return {};
}

std::size_t remove_stale_ref_locks(Hub& hub) {
  auto rows = hub.db().list_repos();
  if (!rows) {
    log::error("repair: cannot list repos: " + rows.error().message);
    return 0;
  }
  std::size_t removed = 0;
  for (const auto& row : *rows)
    removed += storage::GitRepo::remove_stale_locks(hub.repo_path(id_of(row)));
  return removed;
}

void clear_tmp_repo_dirs(Hub& hub) {
  std::error_code ec;
  for (fs::directory_iterator it(hub.tmp_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!it->is_directory(ec) || !(name.starts_with("new-") || name.starts_with("trash-"))) continue;
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    if (rm) log::warn("cannot remove " + it->path().string() + ": " + rm.message());
  }
}

void repair_repo_dirs(Hub& hub) {
  auto rows = hub.db().list_repos();
  if (!rows) {
    log::error("repair: cannot list repos: " + rows.error().message);
    return;
  }
  for (const auto& row : *rows) {
    std::string path = hub.repo_path(id_of(row));
    std::error_code ec;
    if (fs::exists(path, ec)) continue;
    auto olds = hub.db().redirects_of(row.id);
    bool mended = false;
    for (const auto& old : olds ? *olds : std::vector<storage::RepoName>{}) {
      std::string old_path = hub.repo_path(RepoId{parse_type(old.type).value_or(RepoType::Model), old.ns, old.name});
      if (!fs::exists(old_path, ec)) continue;
      fs::create_directories(fs::path(path).parent_path(), ec);
      fs::rename(old_path, path, ec);
      if (!ec) {
        log::info("repair: moved " + old_path + " to " + path);
        mended = true;
        break;
      }
    }
    if (!mended) log::error("repair: repository " + row.ns + "/" + row.name + " has no directory at " + path);
  }
}

}  // namespace wharf::hub
