// The repo's main page: the rendered card, the metadata sidebar and the "use this" snippets;
// and the like button's target.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "hub/card_tags.h"
#include "hub/front_matter.h"
#include "hub/likes.h"
#include "util/encoding.h"
#include "util/markdown.h"
#include "web/human_format.h"
#include "web/pages.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

// README files are shown up to this size; a larger one is linked instead.
constexpr uint64_t kMaxCardBytes = 2 << 20;

mstch::array string_items(const std::vector<std::string>& values, std::string_view facet, hub::RepoType type,
                          const std::string& base) {
  mstch::array out;
  for (const auto& v : values)
    out.push_back(mstch::map{{"label", v},
                             {"href", base + "/" + std::string(hub::type_plural(type)) + "?" + std::string(facet) +
                                          "=" + percent_encode(v)}});
  return out;
}

// A line of the README without its end: trailing spaces and CR dropped.
std::string_view trimmed_line(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// The README after its front matter (hub/front_matter's rule: "---" first, then the next line
// that is exactly "---").
std::string card_body(std::string_view readme) {
  std::size_t pos = readme.find('\n');
  while (pos != std::string_view::npos) {
    std::size_t start = pos + 1;
    std::size_t end = readme.find('\n', start);
    std::string_view line = readme.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (trimmed_line(line) == "---") return end == std::string_view::npos ? std::string() : std::string(readme.substr(end + 1));
    pos = end;
  }
  return std::string(readme);
}

// The card's evaluation results as table rows: task, dataset, metric, value.
mstch::array eval_rows(const nlohmann::json& results) {
  mstch::array rows;
  for (const auto& r : results) {
    if (rows.size() >= 50) break;
    std::string task = r.value("/task/name"_json_pointer, r.value("/task/type"_json_pointer, std::string()));
    std::string dataset = r.value("/dataset/name"_json_pointer, r.value("/dataset/type"_json_pointer, std::string()));
    if (!r.contains("metrics") || !r["metrics"].is_array()) continue;
    for (const auto& m : r["metrics"]) {
      if (!m.is_object()) continue;
      std::string metric = m.value("name", m.value("type", std::string()));
      std::string value;
      if (m.contains("value")) value = m["value"].is_string() ? m["value"].get<std::string>() : m["value"].dump();
      rows.push_back(mstch::map{{"task", task}, {"dataset", dataset}, {"metric", metric}, {"value", value}});
    }
  }
  return rows;
}

// Snippets that use this repo from the server's real URL.
mstch::array snippets(const PageCall& c, const RepoView& v, const hub::DerivedCard& d) {
  const auto& id = v.repo.id;
  std::string origin = public_origin(c) + c.base;
  std::string repo = id.full();
  std::string type = std::string(hub::type_name(id.type));
  std::string env = "export HF_ENDPOINT=" + origin + "\nexport HF_HUB_DISABLE_XET=1\n";
  if (v.repo.row.is_private || !v.repo.row.gated.empty()) env += "export HF_TOKEN=hf_...  # a token of yours\n";
  mstch::array out;
  auto add = [&](std::string id_, std::string title, std::string lang, std::string code) {
    out.push_back(mstch::map{{"id", std::move(id_)}, {"title", std::move(title)}, {"lang", std::move(lang)},
                             {"code", std::move(code)}, {"open", out.empty()}});
  };
  if (id.type == hub::RepoType::Model && (d.library_name.empty() || d.library_name == "transformers")) {
    std::string code = "# " + env.substr(0, env.find('\n')) + "\n";
    if (!d.pipeline_tag.empty())
      code += "from transformers import pipeline\n\npipe = pipeline(\"" + d.pipeline_tag + "\", model=\"" + repo + "\")";
    else
      code += "from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(\"" + repo + "\")";
    add("transformers", "Transformers", "python", code);
  }
  if (id.type == hub::RepoType::Dataset)
    add("datasets", "Datasets", "python",
        "# " + env.substr(0, env.find('\n')) + "\nfrom datasets import load_dataset\n\nds = load_dataset(\"" + repo + "\")");
  add("hfhub", "huggingface_hub", "python",
      "# " + env.substr(0, env.find('\n')) + "\nfrom huggingface_hub import snapshot_download\n\npath = snapshot_download(\"" +
          repo + "\"" + (id.type == hub::RepoType::Model ? "" : ", repo_type=\"" + type + "\"") + ")");
  add("env", "Environment", "shell", env);
  std::string url = origin + repo_path(id);
  add("git", "git clone", "shell", "git lfs install\ngit clone " + url);
  add("curl", "curl", "shell",
      "curl -L " + std::string(v.repo.row.is_private || !v.repo.row.gated.empty() ? "-H \"Authorization: Bearer $HF_TOKEN\" " : "") +
          url + "/resolve/" + percent_encode(v.rev) + "/README.md");
  return out;
}

}  // namespace

Result<http::Response> card_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, r));
  auto ctx = repo_context(c, v, "card");
  const auto& id = v.repo.id;

  // The README at the revision: its front matter feeds the sidebar, the rest is the card.
  std::string readme;
  auto entry = WHARF_TRY(v.repo.git.stat(v.commit, "README.md"));
  bool has_readme = entry && entry->type == storage::EntryType::File;
  bool too_big = has_readme && entry->size > kMaxCardBytes;
  if (has_readme && !too_big) readme = WHARF_TRY(v.repo.git.read_blob(entry->oid));
  nlohmann::json card = nlohmann::json::object();
  std::string body = readme;
  if (hub::split_front_matter(readme).present) {
    if (auto parsed = hub::parse_card_data(readme)) card = *parsed;
    body = card_body(readme);
  }
  auto d = hub::derive_card(card, {}, hub::type_name(id.type), std::nullopt);
  std::string rev_enc = percent_encode(v.rev);
  MarkdownLinks links{c.base + repo_path(id) + "/blob/" + rev_enc + "/", c.base + repo_path(id) + "/resolve/" + rev_enc + "/"};
  ctx["card_html"] = render_markdown(body, links, 1);
  ctx["has_card"] = has_readme && !too_big;
  ctx["card_too_big"] = too_big;
  ctx["edit_card_href"] = c.base + repo_path(id, "edit", v.rev, "README.md");

  // The sidebar: what the indexer derived for the default branch, and the card's own fields.
  const auto& row = v.repo.row;
  std::vector<std::string> tags;
  auto tag_json = nlohmann::json::parse(row.tags, nullptr, false);
  if (tag_json.is_array())
    for (const auto& t : tag_json)
      if (t.is_string()) {
        const auto& tag = t.get_ref<const std::string&>();
        bool shown_elsewhere = tag == row.pipeline_tag || tag == row.library_name ||
                               std::find(d.languages.begin(), d.languages.end(), tag) != d.languages.end();
        if (tag.find(':') == std::string::npos && !shown_elsewhere) tags.push_back(tag);
      }
  std::string pipeline = d.pipeline_tag.empty() ? row.pipeline_tag : d.pipeline_tag;
  std::string library = d.library_name.empty() ? row.library_name : d.library_name;
  ctx["pipeline_tag"] = pipeline;
  ctx["pipeline_href"] = c.base + "/" + std::string(hub::type_plural(id.type)) + "?pipeline_tag=" + percent_encode(pipeline);
  ctx["library_name"] = library;
  ctx["library_href"] = c.base + "/" + std::string(hub::type_plural(id.type)) + "?library=" + percent_encode(library);
  ctx["license"] = d.license.empty() ? card.value("license", std::string()) : d.license;
  ctx["license_href"] = c.base + "/" + std::string(hub::type_plural(id.type)) + "?license=" + percent_encode(d.license);
  ctx["languages"] = string_items(d.languages, "language", id.type, c.base);
  mstch::array datasets;
  for (const auto& ds : d.datasets) datasets.push_back(mstch::map{{"label", ds}, {"href", c.base + "/datasets/" + ds}});
  ctx["datasets"] = datasets;
  ctx["tags"] = string_items(tags, "filter", id.type, c.base);
  ctx["has_languages"] = !d.languages.empty();
  ctx["has_datasets"] = !d.datasets.empty();
  ctx["has_tags"] = !tags.empty();
  mstch::array bases;
  for (const auto& [base, relation] : d.base_models)
    bases.push_back(mstch::map{{"label", base}, {"relation", relation}, {"href", c.base + "/" + base}});
  ctx["base_models"] = bases;
  ctx["has_base_models"] = !d.base_models.empty();
  ctx["eval_rows"] = eval_rows(d.eval_results);
  ctx["has_eval"] = !d.eval_results.empty();
  ctx["sdk"] = row.sdk;
  ctx["snippets"] = snippets(c, v, d);
  ctx["downloads_all_time"] = human_count(row.downloads_all_time);
  return render_page(c, "repo_card", ctx);
}

Result<http::Response> like_repo(PageCall& c, const PageRoute& r) {
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode(repo_path(r.repo), true));
  bool like = c.field("like") != "0";
  WHARF_TRY(hub::set_like(c.hub, c.who, r.repo, like));
  return redirect(c, safe_next(c.field("next"), repo_path(r.repo)));
}

}  // namespace wharf::web
