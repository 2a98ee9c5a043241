// Repo info at a revision (spec §5): GET /api/{type}s/{id}[/revision/{rev}].
#include <set>

#include "api/context.h"
#include "api/entries.h"
#include "hub/card_tags.h"
#include "hub/indexer.h"
#include "util/time.h"

namespace wharf::api {
namespace {

nlohmann::json gated_json(const std::string& g) { return g.empty() ? nlohmann::json(false) : nlohmann::json(g); }

Result<nlohmann::json> siblings_json(const storage::GitRepo& git, const std::string& commit, bool blobs) {
  auto entries = WHARF_TRY(git.list_tree(commit, "", true));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    if (e.type != storage::EntryType::File) continue;
    nlohmann::json s = {{"rfilename", e.path}};
    if (blobs) {
      s["blobId"] = e.oid;
      s["size"] = e.size;
      if (auto p = WHARF_TRY(lfs_pointer_of(git, e))) {
        s["size"] = p->size;
        s["lfs"] = {{"sha256", p->oid}, {"size", p->size}, {"pointerSize", e.size}};
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<http::Response> handle_repo_info(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Read));
  std::string rev = c.route.sub == "revision" ? c.route.rev : "HEAD";
  if (rev.empty()) rev = "HEAD";
  auto sha = WHARF_TRY(repo.git.resolve_revision(rev));
  auto commit = WHARF_TRY(repo.git.read_commit(sha));
  const auto& row = repo.row;
  bool indexed = sha == row.sha;
  auto card_text = indexed ? row.card_data : hub::card_data_at(repo.git, sha);
  nlohmann::json card = card_text.empty() ? nlohmann::json::object() : nlohmann::json::parse(card_text, nullptr, false);
  if (!card.is_object()) card = nlohmann::json::object();
  // The index holds what was derived at the default branch head; another revision is
  // derived now.
  storage::RepoDerived derived{row.tags, row.pipeline_tag, row.library_name, row.config};
  if (!indexed) derived = hub::derive_at(repo.git, sha, row.type, card_text, row.sdk);
  auto tags = nlohmann::json::parse(derived.tags, nullptr, false);
  if (!tags.is_array()) tags = nlohmann::json::array();

  auto expand = c.query.all("expand");
  std::set<std::string> wanted(expand.begin(), expand.end());
  bool all = wanted.empty();
  auto want = [&](const char* k) { return all || wanted.count(k) > 0; };

  nlohmann::json j = {{"_id", row.object_id}, {"id", repo.id.full()}};
  if (all && repo.id.type == hub::RepoType::Model) j["modelId"] = repo.id.full();
  if (want("author")) j["author"] = row.ns;
  if (want("sha")) j["sha"] = sha;
  if (want("lastModified")) j["lastModified"] = format_iso8601(commit.committer.time_ms);
  if (want("createdAt")) j["createdAt"] = format_iso8601(row.created_ms);
  if (want("private")) j["private"] = row.is_private;
  if (want("gated")) j["gated"] = gated_json(row.gated);
  if (want("disabled")) j["disabled"] = false;
  if (want("downloads")) j["downloads"] = row.downloads;
  if (want("downloadsAllTime")) j["downloadsAllTime"] = row.downloads_all_time;
  if (want("likes")) j["likes"] = row.likes;
  if (want("trendingScore")) j["trendingScore"] = row.trending_score;
  if (want("tags")) j["tags"] = tags;
  if (want("cardData") && !card.empty()) j["cardData"] = card;
  if (repo.id.type == hub::RepoType::Model) {
    if (want("pipeline_tag") && !derived.pipeline_tag.empty()) j["pipeline_tag"] = derived.pipeline_tag;
    if (want("library_name") && !derived.library_name.empty()) j["library_name"] = derived.library_name;
    if (want("config") && !derived.config.empty()) j["config"] = nlohmann::json::parse(derived.config, nullptr, false);
    if (want("model-index") && card.contains("model-index")) j["model-index"] = card["model-index"];
    if (want("evalResults")) {
      auto d = hub::derive_card(card, {}, "model", std::nullopt);
      if (!d.eval_results.empty()) j["evalResults"] = d.eval_results;
    }
  }
  if (repo.id.type == hub::RepoType::Space) {
    if (want("sdk")) j["sdk"] = row.sdk;
    if (want("runtime")) j["runtime"] = {{"stage", "STOPPED"}, {"hardware", {{"current", nullptr}, {"requested", nullptr}}}};
  }
  if (want("siblings")) j["siblings"] = WHARF_TRY(siblings_json(repo.git, sha, c.query.flag("blobs")));
  return json_response(j);
}

}  // namespace wharf::api
