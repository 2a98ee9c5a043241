// Discussions and pull requests (spec §12): the `discussions`, `discussion_events` and
// `comment_versions` tables. A repo's discussions go with it (ON DELETE CASCADE).
#include "storage/db.h"
#include "storage/db_internal.h"

namespace wharf::storage {
namespace {

// The columns of read_discussion, from discussions `d` LEFT JOIN users `u` on the author.
#define DISCUSSION_COLUMNS                                                              \
  "d.id, d.repo_id, d.num, d.title, d.status, d.is_pull_request, d.author_id, u.name, " \
  "d.created_at, d.base_ref, d.head_sha, d.merge_commit, d.diff_base"
// The columns of read_event, from discussion_events `e` LEFT JOIN users `u` on the author.
#define EVENT_COLUMNS                                                                       \
  "e.id, e.object_id, e.discussion_id, e.type, e.author_id, u.name, e.created_at, e.data, " \
  "e.hidden"
// The filter of list_discussions and count_discussions. Binds: repo id, is_pull_request
// twice, the status count and two statuses (status_binds), the author twice.
#define DISCUSSION_FILTER                                     \
  " WHERE d.repo_id = ? AND (? < 0 OR d.is_pull_request = ?)" \
  " AND (? = 0 OR d.status = ? OR d.status = ?) AND (? = '' OR u.name = ?)"

DiscussionRow read_discussion(const Cursor& c) {
  DiscussionRow d;
  d.id = c.int64(0);
  d.repo_id = c.int64(1);
  d.num = c.int64(2);
  d.title = c.text(3);
  d.status = c.text(4);
  d.is_pull_request = c.int64(5) != 0;
  d.author_id = c.int64(6);  // NULL reads as 0
  d.author = c.text(7);
  d.created_ms = c.int64(8);
  d.base_ref = c.text(9);
  d.head_sha = c.text(10);
  d.merge_commit = c.text(11);
  d.diff_base = c.text(12);
  return d;
}

DiscussionEventRow read_event(const Cursor& c) {
  DiscussionEventRow e;
  e.id = c.int64(0);
  e.object_id = c.text(1);
  e.discussion_id = c.int64(2);
  e.type = c.text(3);
  e.author_id = c.int64(4);
  e.author = c.text(5);
  e.created_ms = c.int64(6);
  e.data = c.text(7);
  e.hidden = c.int64(8) != 0;
  return e;
}

CommentVersion read_version(const Cursor& c) { return {c.text(0), c.text(1), c.int64(2)}; }

// The two statuses a filter binds (a single one twice; none binds a count of 0).
struct StatusBinds {
  int64_t count;
  std::string a, b;
};
StatusBinds status_binds(const DiscussionFilter& f) {
  if (f.statuses.empty()) return {0, "", ""};
  return {static_cast<int64_t>(f.statuses.size()), f.statuses[0], f.statuses.back()};
}

// Inserts one event (and a comment's first version). REQUIRES: the lock and a transaction.
// (A template: Db::Impl is private to Db, so it is deduced rather than named.)
template <typename Impl>
Result<int64_t> insert_event(Impl& impl, int64_t discussion_id, const NewDiscussionEvent& e,
                             int64_t now_ms) {
  int64_t id = WHARF_TRY(required(impl.one(
      read_int,
      "INSERT INTO discussion_events (object_id, discussion_id, type, author_id, created_at, data) "
      "VALUES (?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
      e.object_id, discussion_id, e.type, e.author_id, now_ms, e.data)));
  if (e.type == "comment") {
    WHARF_TRY_VOID(
        impl.exec("INSERT INTO comment_versions (event_id, raw, author_id, created_at) "
                  "VALUES (?, ?, NULLIF(?, 0), ?)",
                  id, e.comment, e.author_id, now_ms));
  }
  return id;
}

// Fills a comment's versions. REQUIRES: the lock.
template <typename Impl>
Result<void> load_versions(Impl& impl, DiscussionEventRow& e) {
  if (e.type != "comment") return {};
  e.versions = WHARF_TRY(impl.all(read_version,
                                  "SELECT v.raw, u.name, v.created_at FROM comment_versions v "
                                  "LEFT JOIN users u ON u.id = v.author_id "
                                  "WHERE v.event_id = ? ORDER BY v.id",
                                  e.id));
  return {};
}

}  // namespace

Result<DiscussionRow> Db::insert_discussion(const DiscussionRow& row,
                                            const std::vector<NewDiscussionEvent>& events) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  // Numbers are taken inside the write transaction, so two creations never share one.
  int64_t id = WHARF_TRY(required(impl_->one(
      read_int,
      "INSERT INTO discussions (repo_id, num, title, status, is_pull_request, author_id, "
      "created_at, base_ref, head_sha) "
      "VALUES (?, (SELECT COALESCE(MAX(num), 0) + 1 FROM discussions WHERE repo_id = ?), ?, ?, ?, "
      "NULLIF(?, 0), ?, ?, ?) RETURNING id",
      row.repo_id, row.repo_id, row.title, row.status, int64_t{row.is_pull_request}, row.author_id,
      row.created_ms, row.base_ref, row.head_sha)));
  for (const auto& e : events) WHARF_TRY_VOID(insert_event(*impl_, id, e, row.created_ms));
  auto stored = WHARF_TRY(required(
      impl_->one(read_discussion,
                 "SELECT " DISCUSSION_COLUMNS
                 " FROM discussions d LEFT JOIN users u ON u.id = d.author_id WHERE d.id = ?",
                 id)));
  WHARF_TRY_VOID(tx.commit());
  return stored;
}

Result<std::optional<DiscussionRow>> Db::find_discussion(int64_t repo_id, int64_t num) {
  auto lock = impl_->lock();
  return impl_->one(read_discussion,
                    "SELECT " DISCUSSION_COLUMNS
                    " FROM discussions d LEFT JOIN users u ON u.id = d.author_id "
                    "WHERE d.repo_id = ? AND d.num = ?",
                    repo_id, num);
}

Result<std::vector<DiscussionRow>> Db::list_discussions(int64_t repo_id,
                                                        const DiscussionFilter& filter,
                                                        int64_t offset, int64_t limit) {
  auto lock = impl_->lock();
  auto s = status_binds(filter);
  int64_t pr = filter.is_pull_request;
  return impl_->all(read_discussion,
                    "SELECT " DISCUSSION_COLUMNS
                    " FROM discussions d LEFT JOIN users u ON u.id = d.author_id" DISCUSSION_FILTER
                    " ORDER BY d.num DESC LIMIT ? OFFSET ?",
                    repo_id, pr, pr, s.count, s.a, s.b, filter.author, filter.author, limit,
                    offset);
}

Result<int64_t> Db::count_discussions(int64_t repo_id, const DiscussionFilter& filter) {
  auto lock = impl_->lock();
  auto s = status_binds(filter);
  int64_t pr = filter.is_pull_request;
  return required(impl_->one(read_int,
                             "SELECT COUNT(*) FROM discussions d LEFT JOIN users u ON u.id = "
                             "d.author_id" DISCUSSION_FILTER,
                             repo_id, pr, pr, s.count, s.a, s.b, filter.author, filter.author));
}

Result<std::vector<DiscussionEventRow>> Db::list_discussion_events(int64_t discussion_id) {
  auto lock = impl_->lock();
  auto events = WHARF_TRY(impl_->all(read_event,
                                     "SELECT " EVENT_COLUMNS
                                     " FROM discussion_events e LEFT JOIN users u ON u.id = "
                                     "e.author_id WHERE e.discussion_id = ? ORDER BY e.id",
                                     discussion_id));
  for (auto& e : events) WHARF_TRY_VOID(load_versions(*impl_, e));
  return events;
}

Result<std::optional<DiscussionEventRow>> Db::find_discussion_event(int64_t discussion_id,
                                                                    const std::string& object_id) {
  auto lock = impl_->lock();
  auto event = WHARF_TRY(impl_->one(read_event,
                                    "SELECT " EVENT_COLUMNS
                                    " FROM discussion_events e LEFT JOIN users u ON u.id = "
                                    "e.author_id WHERE e.discussion_id = ? AND e.object_id = ?",
                                    discussion_id, object_id));
  if (event) WHARF_TRY_VOID(load_versions(*impl_, *event));
  return event;
}

Result<std::vector<int64_t>> Db::add_discussion_events(
    int64_t discussion_id, const std::vector<NewDiscussionEvent>& events,
    const std::optional<std::string>& new_title, const std::optional<std::string>& new_status,
    int64_t now_ms) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  if (new_title)
    WHARF_TRY_VOID(
        impl_->exec("UPDATE discussions SET title = ? WHERE id = ?", *new_title, discussion_id));
  if (new_status)
    WHARF_TRY_VOID(
        impl_->exec("UPDATE discussions SET status = ? WHERE id = ?", *new_status, discussion_id));
  std::vector<int64_t> ids;
  for (const auto& e : events)
    ids.push_back(WHARF_TRY(insert_event(*impl_, discussion_id, e, now_ms)));
  WHARF_TRY_VOID(tx.commit());
  return ids;
}

Result<void> Db::add_comment_version(int64_t event_id, const std::string& raw, int64_t author_id,
                                     int64_t now_ms) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO comment_versions (event_id, raw, author_id, created_at) "
      "VALUES (?, ?, NULLIF(?, 0), ?)",
      event_id, raw, author_id, now_ms);
}

Result<void> Db::hide_discussion_event(int64_t event_id) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE discussion_events SET hidden = 1 WHERE id = ?", event_id);
}

Result<bool> Db::update_pull_request(int64_t discussion_id, const PullRequestUpdate& update,
                                     const std::vector<NewDiscussionEvent>& events,
                                     int64_t now_ms) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto head = WHARF_TRY(impl_->one(read_text, "SELECT head_sha FROM discussions WHERE id = ?",
                                   discussion_id));
  if (!head || *head != update.expected_head) return false;
  WHARF_TRY_VOID(impl_->exec(
      "UPDATE discussions SET head_sha = CASE WHEN ? = '' THEN head_sha ELSE ? END, "
      "status = CASE WHEN ? = '' THEN status ELSE ? END, "
      "merge_commit = CASE WHEN ? = '' THEN merge_commit ELSE ? END, "
      "diff_base = CASE WHEN ? = '' THEN diff_base ELSE ? END WHERE id = ?",
      update.head_sha, update.head_sha, update.status, update.status, update.merge_commit,
      update.merge_commit, update.diff_base, update.diff_base, discussion_id));
  for (const auto& e : events) WHARF_TRY_VOID(insert_event(*impl_, discussion_id, e, now_ms));
  WHARF_TRY_VOID(tx.commit());
  return true;
}

Result<bool> Db::discussions_disabled(int64_t repo_id) {
  auto lock = impl_->lock();
  auto v = WHARF_TRY(impl_->one(read_int,
                                "SELECT disabled FROM discussion_settings WHERE repo_id = ?",
                                repo_id));
  return v && *v != 0;
}

Result<void> Db::set_discussions_disabled(int64_t repo_id, bool disabled) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO discussion_settings (repo_id, disabled) VALUES (?, ?) "
      "ON CONFLICT (repo_id) DO UPDATE SET disabled = excluded.disabled",
      repo_id, int64_t{disabled});
}

}  // namespace wharf::storage
