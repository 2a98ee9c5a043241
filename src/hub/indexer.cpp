#include "hub/indexer.h"

#include "hub/card_tags.h"
#include "hub/discovery.h"
#include "hub/front_matter.h"
#include "hub/repos.h"
#include "util/log.h"

namespace wharf::hub {

std::string card_data_at(storage::GitRepo& git, const std::string& commit) {
  auto entry = git.stat(commit, "README.md");
  if (!entry || !*entry || (*entry)->type != storage::EntryType::File) return "";
  if ((*entry)->size > (1u << 20)) return "";
  auto text = git.read_blob((*entry)->oid);
  if (!text) return "";
  auto card = parse_card_data(*text);
  if (!card || card->empty()) return "";
  return card->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

constexpr std::size_t kMaxIndexedFiles = 100000;  // file names the tags are derived from
constexpr uint64_t kMaxConfigBytes = 1u << 20;

// The root config.json of a model, when it is a small regular file holding a JSON object.
std::optional<nlohmann::json> config_at(storage::GitRepo& git, const std::string& commit) {
  auto entry = git.stat(commit, "config.json");
  if (!entry || !*entry || (*entry)->type != storage::EntryType::File || (*entry)->size > kMaxConfigBytes)
    return std::nullopt;
  auto text = git.read_blob((*entry)->oid);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

// The part of config.json that listings show as `config` (as the Hub does): the
// architectures, the model type and the quantisation method.
std::string config_summary(const std::optional<nlohmann::json>& config) {
  if (!config) return "";
  nlohmann::json out = nlohmann::json::object();
  if (auto it = config->find("architectures"); it != config->end() && it->is_array()) {
    nlohmann::json archs = nlohmann::json::array();
    for (const auto& a : *it)
      if (a.is_string() && a.get_ref<const std::string&>().size() <= 200 && archs.size() < 16) archs.push_back(a);
    out["architectures"] = archs;
  }
  if (auto it = config->find("model_type"); it != config->end() && it->is_string() &&
                                            it->get_ref<const std::string&>().size() <= 200)
    out["model_type"] = *it;
  if (auto it = config->find("quantization_config"); it != config->end() && it->is_object()) {
    if (auto m = it->find("quant_method"); m != it->end() && m->is_string() && m->get_ref<const std::string&>().size() <= 100)
      out["quantization_config"] = {{"quant_method", *m}};
  }
  return out.empty() ? "" : out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

storage::RepoDerived derive_at(storage::GitRepo& git, const std::string& commit, const std::string& type,
                               const std::string& card_text, const std::string& sdk) {
  std::vector<std::string> paths;
  if (auto entries = git.list_tree(commit, "", true)) {
    for (const auto& e : *entries) {
      if (e.type != storage::EntryType::File) continue;
      if (paths.size() >= kMaxIndexedFiles) break;
      paths.push_back(e.path);
    }
  }
  auto card = card_text.empty() ? nlohmann::json::object() : nlohmann::json::parse(card_text, nullptr, false);
  if (type == "space" && !sdk.empty() && card.is_object() && !card.contains("sdk")) card["sdk"] = sdk;
  auto config = type == "model" ? config_at(git, commit) : std::nullopt;
  auto derived = derive_card(card, paths, type, config);
  storage::RepoDerived out;
  out.tags = nlohmann::json(derived.tags).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.pipeline_tag = derived.pipeline_tag;
  out.library_name = derived.library_name;
  out.config = config_summary(config);
  return out;
}

Result<void> index_default_branch(Hub& hub, const storage::RepoRow& row, storage::GitRepo& git) {
  {
    // Serialized per repo, and the head read under the lock: concurrent updates (a push and
    // a commit) end with the index at the newest head, never at an older one.
    auto lock_holder = hub.ref_mutex(row.id, "\x01index");
    std::lock_guard lock(*lock_holder);
    auto head = git.ref_target("refs/heads/" + git.default_branch());
    if (!head) {
      auto derived = derive_at(git, "", row.type, "", row.sdk);
      WHARF_TRY_VOID(hub.db().update_repo_index(row.id, "", row.last_modified_ms, "", derived));
    } else {
      auto commit = WHARF_TRY(git.read_commit(*head));
      auto card = card_data_at(git, *head);
      auto derived = derive_at(git, *head, row.type, card, row.sdk);
      WHARF_TRY_VOID(hub.db().update_repo_index(row.id, *head, commit.committer.time_ms, card, derived));
    }
  }
  sync_catalog(hub, row.id);
  return {};
}

std::size_t reindex_stale(Hub& hub) {
  auto rows = hub.db().list_repos();
  if (!rows) {
    log::error("reindex: " + rows.error().message);
    return 0;
  }
  std::size_t n = 0;
  for (const auto& row : *rows) {
    auto git = storage::GitRepo::open(hub.repo_path(id_of(row)));
    if (!git) continue;  // reported by repair_repo_dirs
    auto head = git->ref_target("refs/heads/" + git->default_branch());
    if (head.value_or("") == row.sha) continue;
    if (auto r = index_default_branch(hub, row, *git); !r) {
      log::error("reindex " + row.ns + "/" + row.name + ": " + r.error().message);
      continue;
    }
    ++n;
  }
  return n;
}

}  // namespace wharf::hub
