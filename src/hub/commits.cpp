#include "hub/commits.h"

#include <cstring>
#include <set>
#include <variant>

#include "hub/commit_line.h"
#include "hub/git_service.h"
#include "hub/indexer.h"
#include "hub/lfs_pointer.h"
#include "hub/path_patterns.h"
#include "hub/pull_requests.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

constexpr std::size_t kMaxLineBytes = 32u << 20;  // a 10 MiB file, base64 and JSON-escaped
constexpr std::size_t kMaxLines = 200000;

// Splits a ByteSource into lines without holding more than one line at a time.
class LineReader {
 public:
  explicit LineReader(ByteSource& src) : src_(src) {}
  // The next line (without '\n'), nullopt at the end, or an error.
  Result<std::optional<std::string>> next() {
    std::string line;
    for (;;) {
      if (pos_ == len_) {
        if (eof_) break;
        len_ = WHARF_TRY(src_.read(buf_, sizeof buf_));
        pos_ = 0;
        if (len_ == 0) {
          eof_ = true;
          break;
        }
      }
      const char* start = buf_ + pos_;
      const void* nl = std::memchr(start, '\n', len_ - pos_);
      std::size_t take = nl ? static_cast<const char*>(nl) - start : len_ - pos_;
      if (line.size() + take > kMaxLineBytes)
        return fail(errors::payload_too_large("A commit line is larger than 32 MiB"));
      line.append(start, take);
      pos_ += take;
      if (nl) {
        ++pos_;
        return std::optional<std::string>(std::move(line));
      }
    }
    if (line.empty()) return std::optional<std::string>();
    return std::optional<std::string>(std::move(line));
  }

 private:
  ByteSource& src_;
  char buf_[64 * 1024];
  std::size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
};

std::string commit_message(const CommitHeader& h) {
  std::string m = h.summary.empty() ? "Upload files" : h.summary;
  if (!h.description.empty()) m += "\n\n" + h.description;
  return m;
}

struct PendingCommit {
  std::optional<CommitHeader> header;
  std::vector<storage::TreeEdit> edits;
  std::vector<std::string> lfs_paths;
  std::set<std::string> lfs_oids;
  std::optional<std::string> new_gitattributes;  // when the commit writes .gitattributes
};

Result<void> add_line(Hub& hub, RepoHandle& repo, PendingCommit& pc, CommitLine line) {
  using Kind = storage::TreeEdit::Kind;
  if (auto* h = std::get_if<CommitHeader>(&line)) {
    if (pc.header) return fail(errors::bad_request("The commit header must appear once, on the first line"));
    if (h->summary.find('\0') != std::string::npos || h->description.find('\0') != std::string::npos)
      return fail(errors::bad_request("The commit summary and description must not contain NUL bytes"));
    pc.header = std::move(*h);
    return {};
  }
  if (!pc.header) return fail(errors::bad_request("The first line of a commit must be its header"));
  if (auto* f = std::get_if<FileLine>(&line)) {
    if (f->content.size() > kMaxRegularFileSize)
      return fail(errors::bad_request(
          "Your push was rejected because it contains files larger than 10 MiB. Please use "
          "https://git-lfs.github.com/ to store large files: " + f->path));
    if (f->path == ".gitattributes") pc.new_gitattributes = f->content;
    auto blob = WHARF_TRY(repo.git.write_blob(f->content));
    pc.edits.push_back({Kind::Upsert, f->path, blob});
  } else if (auto* l = std::get_if<LfsFileLine>(&line)) {
    auto stored = hub.blobs().size(l->oid);
    if (!stored || !WHARF_TRY(hub.db().repo_has_lfs(repo.row.id, l->oid)))
      return fail(errors::bad_request("LFS object " + l->oid + " for " + l->path +
                                      " was never uploaded; upload it through the LFS batch API first"));
    if (l->size && *l->size != *stored)
      return fail(errors::bad_request("LFS object " + l->oid + " has size " + std::to_string(*stored) +
                                      ", not " + std::to_string(*l->size)));
    auto blob = WHARF_TRY(repo.git.write_blob(LfsPointer{l->oid, *stored}.text()));
    pc.edits.push_back({Kind::Upsert, l->path, blob});
    pc.lfs_paths.push_back(l->path);
    pc.lfs_oids.insert(l->oid);
  } else if (auto* d = std::get_if<DeletedFileLine>(&line)) {
    pc.edits.push_back({Kind::Delete, d->path, ""});
  } else if (auto* d = std::get_if<DeletedFolderLine>(&line)) {
    pc.edits.push_back({Kind::DeleteFolder, d->path, ""});
  }
  return {};
}

// Ensures the .gitattributes of the new tree tracks every LFS path of the commit.
Result<void> track_lfs_paths(RepoHandle& repo, PendingCommit& pc, const std::string& parent) {
  if (pc.lfs_paths.empty()) return {};
  std::string attrs;
  if (pc.new_gitattributes) {
    attrs = *pc.new_gitattributes;
  } else if (auto e = WHARF_TRY(repo.git.stat(parent, ".gitattributes")); e && e->type == storage::EntryType::File) {
    attrs = WHARF_TRY(repo.git.read_blob(e->oid));
  }
  std::string updated = attrs;
  for (const auto& path : pc.lfs_paths)
    if (!GitAttributes(updated).is_lfs(path)) updated = GitAttributes::with_lfs_rule(updated, path);
  if (updated == attrs) return {};
  auto blob = WHARF_TRY(repo.git.write_blob(updated));
  pc.edits.push_back({storage::TreeEdit::Kind::Upsert, ".gitattributes", blob});
  return {};
}

// A create_pr commit: built on parentCommit or the base head, it opens a pull request and
// moves no branch.
Result<CommitResult> open_pull_request_commit(Hub& hub, RepoHandle& repo, const Identity& who,
                                              const std::string& base_ref, PendingCommit& pc) {
  auto title = WHARF_TRY(checked_discussion_title(pc.header->summary.empty() ? "Upload files" : pc.header->summary));
  WHARF_TRY_VOID(check_comment_size(pc.header->description));
  std::string parent;
  if (pc.header->parent_commit.empty()) {
    auto head = repo.git.ref_target(base_ref);
    if (!head) return fail(errors::revision_not_found(base_ref));
    parent = *head;
  } else {
    parent = WHARF_TRY(repo.git.resolve_revision(pc.header->parent_commit));
  }
  WHARF_TRY_VOID(track_lfs_paths(repo, pc, parent));
  auto author = author_of(who);
  storage::Signature sig{author.name, author.email, now_ms()};
  auto commit = WHARF_TRY(repo.git.commit_edits(parent, pc.edits, sig, commit_message(*pc.header)));
  int64_t num = WHARF_TRY(open_pull_request(hub, repo, who, {base_ref, commit, title, pc.header->description, "open", true}));
  for (const auto& oid : pc.lfs_oids)
    if (auto r = hub.db().mark_lfs_committed(repo.row.id, oid); !r)
      log::error("cannot mark LFS object " + oid + " committed: " + r.error().message);
  maintain_repo(repo.git.path());
  return CommitResult{commit, pull_request_ref(num), num};
}

}  // namespace

CommitAuthor author_of(const Identity& who) {
  if (!who.user) return {"anonymous", "anonymous@wharf"};
  std::string email = who.user->email.empty() ? who.user->name + "@users.noreply.wharf" : who.user->email;
  return {who.user->name, email};
}

Result<std::string> writable_ref(const storage::GitRepo& git, const std::string& revision) {
  std::string ref;
  if (revision.starts_with("refs/heads/") || pull_request_num(revision)) ref = revision;
  else if (revision == "HEAD") ref = "refs/heads/" + git.default_branch();
  else ref = "refs/heads/" + revision;
  if (!git.ref_target(ref)) return fail(errors::revision_not_found(revision));
  return ref;
}

Result<CommitResult> commit_ndjson(Hub& hub, RepoHandle& repo, const Identity& who,
                                   const std::string& revision, ByteSource& body, bool create_pr) {
  std::string ref = WHARF_TRY(writable_ref(repo.git, revision));
  if (create_pr && !ref.starts_with("refs/heads/"))
    return fail(errors::bad_request("A pull request goes into a branch, not into " + ref));
  PendingCommit pc;
  LineReader lines(body);
  std::size_t count = 0;
  while (auto line = WHARF_TRY(lines.next())) {
    if (line->empty() || (line->size() == 1 && (*line)[0] == '\r')) continue;
    if (++count > kMaxLines) return fail(errors::bad_request("Too many operations in one commit"));
    auto parsed = parse_commit_line(*line);
    if (!parsed) return fail(std::move(parsed.error()));
    WHARF_TRY_VOID(add_line(hub, repo, pc, std::move(*parsed)));
  }
  if (!pc.header) return fail(errors::bad_request("Empty commit body: the header line is missing"));
  if (create_pr) return open_pull_request_commit(hub, repo, who, ref, pc);

  auto lock_holder = hub.ref_mutex(repo.row.id, ref);
  std::lock_guard lock(*lock_holder);
  auto head = repo.git.ref_target(ref);
  if (!head) return fail(errors::revision_not_found(revision));
  const std::string& parent_commit = pc.header->parent_commit;
  if (!parent_commit.empty() && !head->starts_with(parent_commit)) return fail(errors::precondition_failed());

  WHARF_TRY_VOID(track_lfs_paths(repo, pc, *head));
  auto author = author_of(who);
  storage::Signature sig{author.name, author.email, now_ms()};
  auto commit = WHARF_TRY(repo.git.commit_edits(*head, pc.edits, sig, commit_message(*pc.header)));
  WHARF_TRY_VOID(repo.git.update_ref(ref, commit, *head, "commit (api): " + pc.header->summary));
  for (const auto& oid : pc.lfs_oids)
    if (auto r = hub.db().mark_lfs_committed(repo.row.id, oid); !r)
      log::error("cannot mark LFS object " + oid + " committed: " + r.error().message);
  after_ref_update(hub, repo, ref);
  if (auto num = pull_request_num(ref))
    if (auto r = record_pull_request_commits(hub, repo, *num, who.user ? who.user->id : 0); !r)
      log::error("cannot record the commit of " + repo.id.full() + " " + ref + ": " + r.error().message);
  return CommitResult{commit, ref, 0};
}

void after_ref_update(Hub& hub, RepoHandle& repo, const std::string& ref) {
  maintain_repo(repo.git.path());
  if (ref != "refs/heads/" + repo.git.default_branch()) return;
  // The commit already stands in git; a failed index update is repaired at the next start.
  if (auto r = index_default_branch(hub, repo.row, repo.git); !r)
    log::error("index update failed for " + repo.id.full() + ": " + r.error().message);
}

}  // namespace wharf::hub
