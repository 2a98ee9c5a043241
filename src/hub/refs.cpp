#include "hub/refs.h"

#include "hub/commits.h"
#include "util/encoding.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

storage::Signature signature_of(const Identity& who) {
  auto a = author_of(who);
  return {a.name, a.email, now_ms()};
}

}  // namespace

std::optional<std::string> invalid_ref_name(const std::string& name) {
  if (name.empty() || name.size() > 255) return "must have 1 to 255 characters";
  if (name.starts_with("refs/")) return "must not start with refs/";
  if (name == "HEAD" || name == "@") return "is reserved";
  if (is_lower_hex(name, 40)) return "must not look like a commit sha";
  if (name.front() == '/' || name.back() == '/' || name.front() == '-') return "must not start or end with '/' or start with '-'";
  if (name.back() == '.' || name.ends_with(".lock")) return "must not end with '.' or .lock";
  if (name.find("..") != std::string::npos || name.find("//") != std::string::npos ||
      name.find("@{") != std::string::npos || name.find("/.") != std::string::npos || name.front() == '.')
    return "must not contain '..', '//', '@{' or a component starting with '.'";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' ||
        c == '[' || c == '\\')
      return "must not contain spaces, control characters or any of ~^:?*[\\";
  return std::nullopt;
}

Result<void> create_branch(Hub& hub, RepoHandle& repo, const Identity& who, const BranchParams& p) {
  if (auto why = invalid_ref_name(p.name)) return fail(errors::bad_request("Invalid branch name '" + p.name + "': " + *why));
  std::string ref = "refs/heads/" + p.name;
  std::string target;
  if (p.empty) {
    target = WHARF_TRY(repo.git.commit_edits("", {}, signature_of(who), "Create empty branch " + p.name));
  } else {
    std::string from = p.starting_point.empty() ? "HEAD" : p.starting_point;
    target = WHARF_TRY(repo.git.resolve_revision(from));
  }
  auto lock_holder = hub.ref_mutex(repo.row.id, ref);
  std::lock_guard lock(*lock_holder);
  auto current = repo.git.ref_target(ref);
  if (current && !p.overwrite) return fail(errors::conflict("Branch " + p.name + " already exists"));
  WHARF_TRY_VOID(repo.git.update_ref(ref, target, current.value_or(""), "branch: created through the API"));
  after_ref_update(hub, repo, ref);
  return {};
}

Result<void> delete_branch(Hub& hub, RepoHandle& repo, const std::string& name) {
  if (name == repo.git.default_branch()) return fail(errors::forbidden("The default branch cannot be deleted"));
  std::string ref = "refs/heads/" + name;
  auto lock_holder = hub.ref_mutex(repo.row.id, ref);
  std::lock_guard lock(*lock_holder);
  if (!repo.git.ref_target(ref)) return fail(errors::not_found("Branch " + name + " not found"));
  return repo.git.delete_ref(ref);
}

Result<void> create_tag(RepoHandle& repo, const Identity& who, const std::string& revision,
                        const std::string& tag, const std::string& message) {
  if (auto why = invalid_ref_name(tag)) return fail(errors::bad_request("Invalid tag name '" + tag + "': " + *why));
  std::string target = WHARF_TRY(repo.git.resolve_revision(revision));
  if (repo.git.ref_target("refs/tags/" + tag)) return fail(errors::conflict("Tag " + tag + " already exists"));
  if (message.empty()) return repo.git.create_ref("refs/tags/" + tag, target);
  return repo.git.create_annotated_tag(tag, target, signature_of(who), message);
}

Result<void> delete_tag(RepoHandle& repo, const std::string& tag) {
  if (!repo.git.ref_target("refs/tags/" + tag)) return fail(errors::not_found("Tag " + tag + " not found"));
  return repo.git.delete_ref("refs/tags/" + tag);
}

Result<std::string> super_squash(Hub& hub, RepoHandle& repo, const Identity& who, const std::string& branch,
                                 const std::string& message) {
  std::string ref = branch.starts_with("refs/heads/") ? branch : "refs/heads/" + branch;
  auto lock_holder = hub.ref_mutex(repo.row.id, ref);
  std::lock_guard lock(*lock_holder);
  auto head = repo.git.ref_target(ref);
  if (!head) return fail(errors::bad_request("Cannot squash: " + branch + " is not a branch"));
  auto commit = WHARF_TRY(repo.git.read_commit(*head));
  std::string squashed = WHARF_TRY(repo.git.write_commit(commit.tree, {}, signature_of(who),
                                                          message.empty() ? "Super-squash branch " + branch : message));
  WHARF_TRY_VOID(repo.git.update_ref(ref, squashed, *head, "super-squash"));
  after_ref_update(hub, repo, ref);
  return squashed;
}

}  // namespace wharf::hub
