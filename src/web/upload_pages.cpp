// Committing from the browser: the upload page (files, large ones through LFS) and the text
// editor. Both make one commit through hub::commit_ndjson, the API's own path, with the
// commit the form was shown at as parentCommit, so that a branch that moved meanwhile is
// refused instead of silently overwritten.
#include <nlohmann/json.hpp>

#include "hub/commits.h"
#include "hub/lfs_pointer.h"
#include "hub/pull_requests.h"
#include "hub/uploads.h"
#include "util/encoding.h"
#include "util/repo_path.h"
#include "web/human_format.h"
#include "web/pages.h"
#include "web/posted_form.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

// Room for the small fields beside the editor's text.
constexpr std::size_t kMaxTextFieldBytes = hub::kMaxRegularFileSize;
constexpr std::size_t kMaxEditBody = hub::kMaxRegularFileSize + (64 << 10);
constexpr std::size_t kMaxUploadFiles = 200;

std::string header_line(const PostedForm& form, std::string_view fallback_summary) {
  std::string summary = form.field("summary");
  nlohmann::json value = {{"summary", summary.empty() ? std::string(fallback_summary) : summary},
                          {"description", form.field("description")}};
  if (auto parent = form.field("parent"); !parent.empty()) value["parentCommit"] = parent;
  return nlohmann::json{{"key", "header"}, {"value", value}}.dump() + "\n";
}

std::string file_line(const std::string& path, std::string_view content) {
  nlohmann::json value = {
      {"path", path}, {"content", base64_encode(content)}, {"encoding", "base64"}};
  return nlohmann::json{{"key", "file"}, {"value", value}}.dump() + "\n";
}

std::string lfs_line(const std::string& path, const SpooledFile& f) {
  nlohmann::json value = {{"path", path}, {"algo", "sha256"}, {"oid", f.sha256}, {"size", f.size}};
  return nlohmann::json{{"key", "lfsFile"}, {"value", value}}.dump() + "\n";
}

Result<std::string> read_spooled(const SpooledFile& f) {
  auto src = WHARF_TRY(f.open());
  std::string out(f.size, '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    auto n = WHARF_TRY(src->read(out.data() + got, out.size() - got));
    if (n == 0) return fail(errors::internal("an uploaded file ended early"));
    got += n;
  }
  return out;
}

struct UploadItem {
  std::string path;
  const SpooledFile* file;
  bool lfs;
};

// The NDJSON body of an upload, made one line at a time as commit_ndjson reads it: memory
// holds at most one file (regular files are at most 10 MiB; LFS ones are a short line).
class UploadCommitBody : public ByteSource {
 public:
  UploadCommitBody(std::string header, std::vector<UploadItem> items)
      : line_(std::move(header)), items_(std::move(items)) {}

  Result<std::size_t> read(char* buf, std::size_t n) override {
    while (pos_ == line_.size()) {
      if (next_ == items_.size()) return std::size_t{0};
      const auto& item = items_[next_++];
      line_ = item.lfs ? lfs_line(item.path, *item.file)
                       : file_line(item.path, WHARF_TRY(read_spooled(*item.file)));
      pos_ = 0;
    }
    std::size_t k = std::min(n, line_.size() - pos_);
    line_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string line_;
  std::size_t pos_ = 0;
  std::vector<UploadItem> items_;
  std::size_t next_ = 0;
};

// "a/b/" and "/a/b" as "a/b".
std::string clean_dir(std::string dir) {
  while (!dir.empty() && (dir.back() == '/' || dir.back() == ' ')) dir.pop_back();
  while (!dir.empty() && (dir.front() == '/' || dir.front() == ' ')) dir.erase(0, 1);
  return dir;
}

// The repo path of an uploaded file: the target folder, then the browser's name for it
// (a folder upload sends "dir/file"; old browsers a Windows path, of which the last part).
Result<std::string> upload_path(const std::string& dir, const std::string& filename) {
  std::size_t backslash = filename.find_last_of('\\');
  std::string name = backslash == std::string::npos ? filename : filename.substr(backslash + 1);
  std::string path = dir.empty() ? name : dir + "/" + name;
  if (auto why = invalid_repo_path(path))
    return fail(errors::bad_request("Cannot upload to '" + path + "': " + *why));
  return path;
}

// The pages commit to a branch (or a pull request ref): a tag or a commit is refused before
// the form is shown, not after it was filled in.
Result<void> require_branch(const RepoView& v) {
  if (hub::writable_ref(v.repo.git, v.rev)) return {};
  return fail(errors::bad_request("Commits go to a branch, and " + v.rev +
                                  " is not one: choose a branch first"));
}

std::string stale_message(const RepoView& v) {
  return "The branch " + v.rev + " moved since this form was shown: someone else committed to it. ";
}

// The refusal to show with the form again; a server failure goes to the error page.
Result<http::Response> form_again(const PageCall& c, std::string_view page, mstch::map ctx,
                                  const Error& e) {
  if (e.status == 500) return fail(e);
  return render_error(c, page, std::move(ctx), e);
}

// A commit to a pull request's ref goes back to its thread, where it shows as an event.
std::optional<std::string> pull_request_thread(const RepoView& v) {
  auto num = hub::pull_request_num(v.rev);
  if (!num) return std::nullopt;
  return repo_path(v.repo.id) + "/discussions/" + std::to_string(*num);
}

mstch::map upload_context(const PageCall& c, const RepoView& v) {
  auto ctx = repo_context(c, v, "files");
  ctx["title"] = "Upload files · " + v.repo.id.full();
  ctx["action"] = c.base + repo_path(v.repo.id, "upload", v.rev);
  ctx["tree_href"] = c.base + repo_path(v.repo.id, "tree", v.rev);
  ctx["parent"] = v.commit;
  ctx["max_upload"] = human_size(c.options.max_upload_bytes);
  return ctx;
}

// Stores the LFS files, then commits every file not ignored, in one commit.
Result<void> commit_upload(PageCall& c, RepoView& v, const PostedForm& form,
                           const std::string& dir) {
  std::vector<hub::PreuploadFile> files;
  std::vector<std::string> paths;
  for (const auto& f : form.files) {
    paths.push_back(WHARF_TRY(upload_path(dir, f.filename)));
    files.push_back({paths.back(), f.size, f.sample});
  }
  auto decisions = WHARF_TRY(hub::preupload(v.repo, v.commit, files, std::nullopt, std::nullopt));
  std::vector<UploadItem> items;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    if (decisions[i].should_ignore) continue;
    const auto& f = form.files[i];
    if (decisions[i].lfs) {
      auto src = WHARF_TRY(f.open());
      WHARF_TRY_VOID(hub::lfs_receive(c.hub, v.repo.row.id, f.sha256, f.size, *src));
    }
    items.push_back({paths[i], &f, decisions[i].lfs});
  }
  if (items.empty())
    return fail(errors::bad_request("Every chosen file is ignored by the repository's .gitignore"));
  std::string summary = items.size() == 1 ? "Upload " + items[0].path
                                          : "Upload " + std::to_string(items.size()) + " files";
  UploadCommitBody body(header_line(form, summary), std::move(items));
  WHARF_TRY(hub::commit_ndjson(c.hub, v.repo, c.who, v.rev, body));
  return {};
}

}  // namespace

Result<http::Response> upload_page(PageCall& c, const PageRoute& r) {
  if (!c.who.session)
    return redirect(c, "/login?next=" + percent_encode(repo_path(r.repo, "upload", r.rev), true));
  auto v = WHARF_TRY(open_repo_view_for_commit(c, r));
  WHARF_TRY_VOID(require_branch(v));
  auto ctx = upload_context(c, v);
  if (!c.is_post()) return render_page(c, "upload", ctx);

  auto form =
      WHARF_TRY(read_posted_form(c, {c.options.max_upload_bytes, 64 << 10, kMaxUploadFiles}));
  std::string dir = clean_dir(form.field("directory"));
  ctx["directory"] = dir;
  ctx["summary"] = form.field("summary");
  ctx["description"] = form.field("description");
  if (form.files.empty())
    return form_again(c, "upload", ctx, errors::bad_request("Choose at least one file to upload"));
  if (auto done = commit_upload(c, v, form, dir); !done) {
    if (done.error().status != 412) return form_again(c, "upload", ctx, done.error());
    return form_again(
        c, "upload", ctx,
        Error{409, "Conflict", stale_message(v) + "Look at its files, then upload again.", {}, {}});
  }
  if (auto thread = pull_request_thread(v)) return redirect(c, *thread);
  return redirect(c, repo_path(v.repo.id, "tree", v.rev, dir));
}

namespace {

// Why the file at `path` cannot be edited as text, or nullopt; `text` is then its content
// and `exists` whether it is there (a missing file is a new one).
Result<std::optional<std::string>> uneditable(RepoView& v, const std::string& path,
                                              std::string& text, bool& exists) {
  auto entry = WHARF_TRY(v.repo.git.stat(v.commit, path));
  exists = entry.has_value();
  if (!entry) return std::optional<std::string>();
  if (entry->type != storage::EntryType::File)
    return std::optional<std::string>(path + " is a folder, not a file.");
  if (entry->size > hub::kMaxRegularFileSize)
    return std::optional<std::string>(path +
                                      " is larger than 10 MiB; upload a new version instead.");
  text = WHARF_TRY(v.repo.git.read_blob(entry->oid));
  if (hub::LfsPointer::parse(text))
    return std::optional<std::string>(path +
                                      " is stored with Git LFS; upload a new version instead.");
  if (text.find('\0') != std::string::npos || !is_valid_utf8(text))
    return std::optional<std::string>(path + " is a binary file; upload a new version instead.");
  return std::optional<std::string>();
}

// A browser sends a textarea's line ends as CRLF; a file that had LF ones keeps them.
std::string line_ends_as_before(std::string text, const std::string& before) {
  if (before.find("\r\n") != std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) out += text[i];
  return out;
}

// Where a saved file is shown: the thread of a pull request, the card for the default
// branch's README, else the file.
std::string after_edit(const RepoView& v, const std::string& path) {
  if (auto thread = pull_request_thread(v)) return *thread;
  if (path == "README.md" && v.is_default_rev) return repo_path(v.repo.id);
  return repo_path(v.repo.id, "blob", v.rev, path);
}

}  // namespace

Result<http::Response> edit_page(PageCall& c, const PageRoute& r) {
  if (!c.who.session)
    return redirect(
        c, "/login?next=" + percent_encode(repo_path(r.repo, "edit", r.rev, r.path), true));
  auto v = WHARF_TRY(open_repo_view_for_commit(c, r));
  WHARF_TRY_VOID(require_branch(v));
  if (auto why = invalid_repo_path(r.path))
    return fail(errors::bad_request("Cannot edit '" + r.path + "': " + *why));
  auto ctx = repo_context(c, v, "files");
  ctx["title"] = "Edit " + r.path + " · " + v.repo.id.full();
  ctx["path"] = r.path;
  ctx["action"] = c.base + repo_path(v.repo.id, "edit", v.rev, r.path);
  ctx["cancel_href"] = c.base + repo_path(v.repo.id, "tree", v.rev);
  std::string current;
  bool exists = false;
  if (auto why = WHARF_TRY(uneditable(v, r.path, current, exists)))
    return render_error(c, "edit", ctx,
                        errors::bad_request("This file cannot be edited in the browser: " + *why));
  ctx["editable"] = true;
  ctx["parent"] = v.commit;
  ctx["is_new"] = !exists;
  if (!c.is_post()) {
    ctx["content"] = current;
    return render_page(c, "edit", ctx);
  }

  auto form = WHARF_TRY(read_posted_form(c, {kMaxEditBody, kMaxTextFieldBytes, 0}));
  std::string text = line_ends_as_before(form.field("content"), current);
  ctx["content"] = text;
  ctx["summary"] = form.field("summary");
  ctx["description"] = form.field("description");
  std::string ndjson = header_line(form, "Update " + r.path) + file_line(r.path, text);
  StringSource body(ndjson);
  auto done = hub::commit_ndjson(c.hub, v.repo, c.who, v.rev, body);
  if (!done && done.error().status == 412) {
    // The form now stands on the new head: sending it again replaces that version knowingly.
    return form_again(
        c, "edit", ctx,
        Error{409,
              "Conflict",
              stale_message(v) +
                  "Your text is kept below; compare it with the current file, then save "
                  "again to replace that version.",
              {},
              {}});
  }
  if (!done) return form_again(c, "edit", ctx, done.error());
  return redirect(c, after_edit(v, r.path));
}

}  // namespace wharf::web
