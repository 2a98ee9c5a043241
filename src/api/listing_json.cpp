#include "api/listing_json.h"

#include "hub/card_tags.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr std::size_t kMaxExpand = 64;

nlohmann::json parse_object(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

// The fields a listing shows without `full` or `expand`, as the Hub does per type.
bool in_default(hub::RepoType type, std::string_view k) {
  static const std::set<std::string_view> common = {"author", "likes", "trendingScore", "private", "downloads",
                                                    "tags", "createdAt", "lastModified", "gated", "disabled"};
  if (common.count(k)) return true;
  switch (type) {
    case hub::RepoType::Model: return k == "pipeline_tag" || k == "library_name";
    case hub::RepoType::Dataset: return k == "sha";
    case hub::RepoType::Space: return k == "sdk" || k == "sha";
  }
  return false;
}

Result<nlohmann::json> siblings_of(Call& c, const hub::CatalogEntry& e) {
  nlohmann::json out = nlohmann::json::array();
  if (e.sha.empty()) return out;
  hub::RepoId id{e.type, e.ns, e.name};
  auto git = c.hub.take_git(c.hub.repo_path(id));
  if (!git) return out;  // a synthetic row (generate-catalog) has no repository
  auto entries = git->list_tree(e.sha, "", true);
  if (entries) {
    for (const auto& t : *entries)
      if (t.type == storage::EntryType::File) out.push_back({{"rfilename", t.path}});
  }
  c.hub.give_git(std::move(*git));
  return out;
}

}  // namespace

Result<ListingFields> listing_fields(const QueryParams& q, hub::RepoType type) {
  ListingFields f;
  auto expand = q.all("expand");
  if (expand.size() > kMaxExpand) return fail(errors::bad_request("Too many expand values"));
  f.full = q.flag("full");
  f.card_data = q.flag("cardData") || (f.full && type == hub::RepoType::Dataset);
  f.config = q.flag("config") || q.flag("fetch_config");
  if (!expand.empty()) {
    if (f.full || q.has("cardData") || q.has("config"))
      return fail(errors::bad_request("expand cannot be combined with full, cardData or config"));
    f.expand = true;
    f.wanted.insert(expand.begin(), expand.end());
  }
  return f;
}

Result<nlohmann::json> listing_item(Call& c, const hub::CatalogEntry& e, const ListingFields& f) {
  auto want = [&](std::string_view k) {
    if (f.expand) return f.wanted.count(std::string(k)) > 0;
    return f.full || in_default(e.type, k);
  };
  std::string full_id = e.ns + "/" + e.name;
  nlohmann::json j = {{"_id", e.object_id}, {"id", full_id}};
  if (e.type == hub::RepoType::Model && !f.expand) j["modelId"] = full_id;
  if (want("author")) j["author"] = e.ns;
  if (want("sha") && !e.sha.empty()) j["sha"] = e.sha;
  if (want("lastModified")) j["lastModified"] = format_iso8601(e.last_modified_ms);
  if (want("createdAt")) j["createdAt"] = format_iso8601(e.created_ms);
  if (want("private")) j["private"] = e.is_private;
  if (want("gated")) j["gated"] = e.gated.empty() ? nlohmann::json(false) : nlohmann::json(e.gated);
  if (want("disabled")) j["disabled"] = false;
  if (want("downloads")) j["downloads"] = e.downloads;
  if (want("downloadsAllTime")) j["downloadsAllTime"] = e.downloads_all_time;
  if (want("likes")) j["likes"] = e.likes;
  if (want("trendingScore")) j["trendingScore"] = e.trending_score;
  if (want("tags")) j["tags"] = e.tags;
  if (e.type == hub::RepoType::Model) {
    if (want("pipeline_tag") && !e.pipeline_tag.empty()) j["pipeline_tag"] = e.pipeline_tag;
    if (want("library_name") && !e.library_name.empty()) j["library_name"] = e.library_name;
  }
  if (e.type == hub::RepoType::Space && want("sdk") && !e.sdk.empty()) j["sdk"] = e.sdk;
  if (want("siblings")) j["siblings"] = WHARF_TRY(siblings_of(c, e));

  bool card_fields = f.card_data || (f.expand && (f.wanted.count("cardData") || f.wanted.count("evalResults") ||
                                                 f.wanted.count("model-index")));
  bool config_field = e.type == hub::RepoType::Model && (f.config || (f.expand && f.wanted.count("config")));
  if (card_fields || config_field) {
    auto row = WHARF_TRY(c.hub.db().find_repo_by_id(e.id));
    if (row) {
      auto card = parse_object(row->card_data);
      if ((f.card_data || want("cardData")) && !card.empty()) j["cardData"] = card;
      if (want("model-index") && card.contains("model-index")) j["model-index"] = card["model-index"];
      if (want("evalResults")) {
        auto derived = hub::derive_card(card, {}, hub::type_name(e.type), std::nullopt);
        if (!derived.eval_results.empty()) j["evalResults"] = derived.eval_results;
      }
      if (config_field && !row->config.empty()) j["config"] = parse_object(row->config);
    }
  }
  return j;
}

}  // namespace wharf::api
