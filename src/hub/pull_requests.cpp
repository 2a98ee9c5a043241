#include "hub/pull_requests.h"

#include <mutex>
#include <nlohmann/json.hpp>

#include "hub/access.h"
#include "hub/audit.h"
#include "hub/commits.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

bool is_open(const storage::DiscussionRow& d) { return d.status == "open" || d.status == "draft"; }

std::string branch_name(const std::string& ref) {
  return ref.starts_with("refs/heads/") ? ref.substr(11) : ref;
}

std::string pr_name(int64_t num) { return "Pull request #" + std::to_string(num); }

// The pull request `num`: 404 RevisionNotFound-like errors are the caller's; here a missing
// one or a plain discussion is nullopt.
Result<std::optional<storage::DiscussionRow>> find_pull_request(Hub& hub, int64_t repo_id, int64_t num) {
  auto d = WHARF_TRY(hub.db().find_discussion(repo_id, num));
  if (!d || !d->is_pull_request) return std::optional<storage::DiscussionRow>();
  return d;
}

// Who a commit event is by: `actor_id`, else the user named as the commit's author.
Result<int64_t> commit_actor(Hub& hub, int64_t actor_id, const storage::CommitInfo& c) {
  if (actor_id != 0) return actor_id;
  auto user = WHARF_TRY(hub.db().find_user(c.author.name));
  return user && !user->is_org ? user->id : int64_t{0};
}

storage::NewDiscussionEvent commit_event(int64_t author_id, const storage::CommitInfo& c) {
  return {random_hex(24), "commit", author_id,
          nlohmann::json{{"subject", c.title}, {"oid", c.id}}.dump(), ""};
}

}  // namespace

std::string pull_request_ref(int64_t num) { return "refs/pr/" + std::to_string(num); }

std::optional<int64_t> pull_request_num(std::string_view ref) {
  if (!ref.starts_with("refs/pr/")) return std::nullopt;
  auto digits = ref.substr(8);
  if (digits.empty() || digits.size() > 9 || digits[0] == '0' ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::stoll(std::string(digits));
}

Result<PullRequestState> pull_request_state(RepoHandle& repo, const storage::DiscussionRow& pr) {
  PullRequestState s;
  s.head = repo.git.ref_target(pull_request_ref(pr.num)).value_or("");
  s.base_head = repo.git.ref_target(pr.base_ref).value_or("");
  if (pr.status == "merged") {
    s.diff_base = pr.diff_base;
    if (!pr.merge_commit.empty() && s.head.empty()) s.head = pr.merge_commit;
    return s;
  }
  if (s.head.empty() || s.base_head.empty()) return s;
  auto base = WHARF_TRY(repo.git.merge_base(s.base_head, s.head));
  s.diff_base = base.value_or("");
  if (!is_open(pr)) return s;
  if (!base) {  // the base branch was rewritten (a super-squash): nothing can be merged
    s.unrelated = true;
    return s;
  }
  s.merged_already = WHARF_TRY(repo.git.is_ancestor(s.head, s.base_head));
  if (s.merged_already) return s;
  if (!WHARF_TRY(repo.git.is_ancestor(s.base_head, s.head))) {
    auto merged = WHARF_TRY(repo.git.merge_commits(s.base_head, s.head));
    s.conflicts = std::move(merged.conflicts);
    s.merged_tree = std::move(merged.tree);
  }
  s.mergeable = s.conflicts.empty() && pr.status == "open";  // drafts are published first
  return s;
}

Result<RepoHandle> open_repo_for_commit(Hub& hub, const Identity& who, const RepoId& id,
                                        const std::string& revision, bool create_pr) {
  auto num = pull_request_num(revision);
  if (!create_pr && !num) return open_repo(hub, who, id, Access::Write);
  // Discuss needs a signed-in caller; a private repo stays a RepoNotFound to others.
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to contribute to a pull request"));
  if (create_pr) {
    WHARF_TRY_VOID(check_discussions_enabled(hub, repo));
    return repo;
  }
  auto pr = WHARF_TRY(find_pull_request(hub, repo.row.id, *num));
  if (!pr) return fail(errors::revision_not_found(revision));
  if (!is_open(*pr))
    return fail(errors::bad_request(pr_name(*num) + " is " + pr->status +
                                    "; only open pull requests take commits"));
  if (pr->author_id != who.user->id) WHARF_TRY_VOID(check_repo_access(hub, who, repo.row, Access::Write));
  return repo;
}

Result<int64_t> open_pull_request(Hub& hub, RepoHandle& repo, const Identity& who,
                                  const NewPullRequest& params) {
  auto title = WHARF_TRY(checked_discussion_title(params.title));
  WHARF_TRY_VOID(check_comment_size(params.description));
  storage::DiscussionRow row;
  row.repo_id = repo.row.id;
  row.title = title;
  row.status = params.status;
  row.is_pull_request = true;
  row.author_id = who.user->id;
  row.created_ms = now_ms();
  row.base_ref = params.base_ref;
  row.head_sha = params.commit;
  std::vector<storage::NewDiscussionEvent> events;
  if (params.description.find_first_not_of(" \t\r\n") != std::string::npos)
    events.push_back(new_discussion_event(who, "comment", "", params.description));
  if (params.commit_event)
    events.push_back(commit_event(who.user->id, WHARF_TRY(repo.git.read_commit(params.commit))));
  auto created = WHARF_TRY(hub.db().insert_discussion(row, events));
  // The number is the database's; the ref follows. A stale ref of that name (left by a crash
  // between the two) is replaced.
  std::string ref = pull_request_ref(created.num);
  auto stale = repo.git.ref_target(ref);
  WHARF_TRY_VOID(repo.git.update_ref(ref, params.commit, stale.value_or(""),
                                     "pull request #" + std::to_string(created.num)));
  audit(hub, who, repo.row.ns, "discussion.create", discussion_audit_target(repo.row),
        {{"num", created.num}, {"title", created.title}, {"pullRequest", true}});
  return created.num;
}

Result<void> record_pull_request_commits(Hub& hub, RepoHandle& repo, int64_t num, int64_t actor_id) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto pr = WHARF_TRY(find_pull_request(hub, repo.row.id, num));
    if (!pr || pr->status == "merged") return {};
    auto head = repo.git.ref_target(pull_request_ref(num));
    if (!head || *head == pr->head_sha) return {};
    // What the last record saw and the base branch are hidden: a PR's events are its own
    // commits, not those it merged in from the base.
    std::vector<std::string> hide;
    for (const auto& h : {pr->head_sha, repo.git.ref_target(pr->base_ref).value_or("")})
      if (!h.empty() && repo.git.read_commit(h)) hide.push_back(h);
    auto commits = WHARF_TRY(repo.git.commits_between(*head, hide, kMaxCommitEvents));
    std::vector<storage::NewDiscussionEvent> events;
    for (const auto& c : commits) events.push_back(commit_event(WHARF_TRY(commit_actor(hub, actor_id, c)), c));
    storage::PullRequestUpdate update;
    update.expected_head = pr->head_sha;
    update.head_sha = *head;
    if (WHARF_TRY(hub.db().update_pull_request(pr->id, update, events, now_ms()))) return {};
    // Another thread recorded first: start again from what it recorded.
  }
  return fail(errors::internal("Cannot record the commits of pull request #" + std::to_string(num)));
}

void record_pushed_commits(Hub& hub, RepoHandle& repo, int64_t actor_id) {
  storage::DiscussionFilter filter;
  filter.is_pull_request = 1;
  filter.statuses = {"open", "draft"};
  auto open = hub.db().list_discussions(repo.row.id, filter, 0, 100000);
  if (!open) {
    log::error("after push: cannot list the pull requests of " + repo.id.full() + ": " + open.error().message);
    return;
  }
  for (const auto& pr : *open)
    if (auto r = record_pull_request_commits(hub, repo, pr.num, actor_id); !r)
      log::error("after push: " + r.error().message);
}

Result<void> check_pull_request_push(Hub& hub, const storage::RepoRow& repo, const std::string& ref,
                                     const std::string& old_sha, const std::string& new_sha,
                                     int64_t pusher_id, bool pusher_writes) {
  constexpr std::string_view kZero = "0000000000000000000000000000000000000000";
  auto num = pull_request_num(ref);
  if (!num) return fail(errors::bad_request(ref + " is not a pull request ref (refs/pr/<number>)"));
  if (new_sha == kZero) return fail(errors::bad_request(ref + " cannot be deleted; close the pull request instead"));
  auto pr = WHARF_TRY(find_pull_request(hub, repo.id, *num));
  if (!pr || old_sha == kZero)
    return fail(errors::bad_request(pr_name(*num) + " does not exist: open a pull request first (the web page's " +
                                    "\"New pull request\", or a commit with create_pr=1), then push to its ref"));
  if (!is_open(*pr))
    return fail(errors::bad_request(pr_name(*num) + " is " + pr->status + "; reopen it before pushing to it"));
  if (!pusher_writes && pr->author_id != pusher_id)
    return fail(errors::bad_request("only the author of " + pr_name(*num) +
                                    " and the repository's writers may push to " + ref));
  return {};
}

Result<DiscussionChange> merge_pull_request(Hub& hub, const Identity& who, const RepoId& id,
                                            int64_t num, const std::string& comment) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Write));
  WHARF_TRY_VOID(check_comment_size(comment));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  if (!d.is_pull_request)
    return fail(errors::bad_request("Discussion #" + std::to_string(num) + " is not a pull request"));
  // Both refs are held: two merges of one PR, or of two PRs into one branch, take turns,
  // and API commits to either wait. git pushes do not take these locks; the compare-and-swap
  // of the base branch catches them.
  auto base_lock = hub.ref_mutex(repo.row.id, d.base_ref);
  auto pr_lock = hub.ref_mutex(repo.row.id, pull_request_ref(num));
  std::scoped_lock lock(*base_lock, *pr_lock);
  WHARF_TRY_VOID(record_pull_request_commits(hub, repo, num, 0));
  d = WHARF_TRY(discussion_of(hub, repo, num));
  if (d.status == "merged") return fail(errors::bad_request(pr_name(num) + " is already merged"));
  if (d.status == "closed") return fail(errors::bad_request(pr_name(num) + " is closed; reopen it to merge it"));
  if (d.status == "draft")  // as on the Hub: "publish this branch to be able to merge"
    return fail(errors::bad_request(pr_name(num) + " is a draft; publish it (change its status to open) to merge it"));
  std::string branch = branch_name(d.base_ref);
  auto state = WHARF_TRY(pull_request_state(repo, d));
  if (state.base_head.empty())
    return fail(errors::not_found("The branch " + branch + " that " + pr_name(num) + " goes into no longer exists"));
  if (state.head.empty()) return fail(errors::internal("The ref of " + pr_name(num) + " is missing"));
  if (state.unrelated)
    return fail(errors::bad_request(pr_name(num) + " has no history in common with " + branch +
                                    " (was " + branch + " rewritten?); open a new pull request on it"));
  if (state.merged_already)
    return fail(errors::bad_request("Nothing to merge: every commit of " + pr_name(num) + " is already in " + branch));
  if (!state.conflicts.empty()) {
    std::string files;
    for (const auto& f : state.conflicts) files += (files.empty() ? "" : ", ") + f;
    return fail(Error{409, "MergeConflict",
                      pr_name(num) + " cannot be merged: it conflicts with " + branch + " in " + files +
                          ". Merge " + branch + " into the pull request and resolve the conflicts, then try again.",
                      {}, nlohmann::json{{"filesWithConflicts", state.conflicts}}.dump()});
  }
  std::string merged = state.head;  // a fast-forward, unless the state needed a merged tree
  if (!state.merged_tree.empty()) {
    auto author = author_of(who);
    merged = WHARF_TRY(repo.git.write_commit(state.merged_tree, {state.base_head, state.head},
                                             {author.name, author.email, now_ms()},
                                             "Merge pull request #" + std::to_string(num) + ": " + d.title));
  }
  auto moved = repo.git.update_ref(d.base_ref, merged, state.base_head, "merge pull request #" + std::to_string(num));
  if (!moved) {
    if (moved.error().status == 412)
      return fail(Error{412, "PreconditionFailed",
                        branch + " moved while " + pr_name(num) + " was being merged; try again", {}, {}});
    return fail(std::move(moved.error()));
  }
  std::vector<storage::NewDiscussionEvent> events;
  if (comment.find_first_not_of(" \t\r\n") != std::string::npos)
    events.push_back(new_discussion_event(who, "comment", "", comment));
  events.push_back(new_discussion_event(who, "status-change", nlohmann::json{{"status", "merged"}}.dump()));
  storage::PullRequestUpdate update;
  update.expected_head = d.head_sha;
  update.status = "merged";
  update.merge_commit = merged;
  update.diff_base = state.diff_base.empty() ? std::string() : state.diff_base;
  if (!WHARF_TRY(hub.db().update_pull_request(d.id, update, events, now_ms()))) {
    // A push reached the PR ref after the merge read it: record the merge all the same.
    update.expected_head = WHARF_TRY(discussion_of(hub, repo, num)).head_sha;
    if (!WHARF_TRY(hub.db().update_pull_request(d.id, update, events, now_ms())))
      log::error("merge of " + repo.id.full() + "#" + std::to_string(num) + " recorded in git, not in the database");
  }
  after_ref_update(hub, repo, d.base_ref);
  audit(hub, who, repo.row.ns, "discussion.merge", discussion_audit_target(repo.row),
        {{"num", num}, {"mergeCommitId", merged}});
  auto after = WHARF_TRY(discussion_of(hub, repo, num));
  auto event = WHARF_TRY(hub.db().find_discussion_event(after.id, events.back().object_id));
  if (!event) return fail(errors::internal("discussion event vanished after its insert"));
  return DiscussionChange{repo.id, std::move(after), std::move(*event)};
}

}  // namespace wharf::hub
