// The new-repo form: /new, /new-dataset and /new-space.
#include <algorithm>
#include <array>

#include "hub/orgs.h"
#include "hub/repos.h"
#include "util/encoding.h"
#include "web/pages.h"
#include "web/repo_forms.h"

namespace wharf::web {
namespace {

// The licenses the form offers (the Hub's most used ids); the card can name any other.
constexpr std::array<std::string_view, 16> kLicenses = {"apache-2.0",
                                                        "mit",
                                                        "openrail",
                                                        "bigscience-openrail-m",
                                                        "creativeml-openrail-m",
                                                        "cc-by-4.0",
                                                        "cc-by-sa-4.0",
                                                        "cc-by-nc-4.0",
                                                        "cc-by-nc-sa-4.0",
                                                        "cc0-1.0",
                                                        "gpl-3.0",
                                                        "agpl-3.0",
                                                        "bsd-3-clause",
                                                        "llama3",
                                                        "gemma",
                                                        "other"};
constexpr std::array<std::string_view, 4> kSdks = {"gradio", "streamlit", "docker", "static"};

std::string_view new_path(hub::RepoType type) {
  switch (type) {
    case hub::RepoType::Dataset:
      return "/new-dataset";
    case hub::RepoType::Space:
      return "/new-space";
    case hub::RepoType::Model:
      break;
  }
  return "/new";
}

template <std::size_t N>
mstch::array choices(const std::array<std::string_view, N>& values, std::string_view selected) {
  mstch::array out;
  for (auto v : values)
    out.push_back(mstch::map{{"value", std::string(v)}, {"selected", v == selected}});
  return out;
}

template <std::size_t N>
bool offered(const std::array<std::string_view, N>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// The repo the form asks for; BadRequest for a license or SDK the form does not offer.
Result<hub::CreateRepoParams> params_from_form(const PageCall& c, hub::RepoType type) {
  hub::CreateRepoParams p;
  p.id = {type, c.field("owner"), c.field("name")};
  p.is_private = c.field("visibility") == "private";
  p.license = c.field("license");
  if (!p.license.empty() && !offered(kLicenses, p.license))
    return fail(errors::bad_request("Choose a license from the list"));
  if (type == hub::RepoType::Space) {
    p.sdk = c.field("sdk");
    if (!offered(kSdks, p.sdk))
      return fail(errors::bad_request("A Space needs an SDK: gradio, streamlit, docker or static"));
  }
  return p;
}

std::string kind_name(hub::RepoType type) {
  return type == hub::RepoType::Model     ? "model"
         : type == hub::RepoType::Dataset ? "dataset"
                                          : "Space";
}

}  // namespace

Result<mstch::array> owner_options(PageCall& c, std::string_view selected) {
  mstch::array out;
  const auto& user = *c.who.user;
  out.push_back(
      mstch::map{{"name", user.name}, {"selected", selected.empty() || selected == user.name}});
  for (const auto& m : WHARF_TRY(c.hub.db().orgs_of(user.id)))
    if (hub::check_namespace_write(c.hub, c.who, m.user.name))
      out.push_back(mstch::map{{"name", m.user.name}, {"selected", selected == m.user.name}});
  return out;
}

Result<http::Response> new_repo_page(PageCall& c, hub::RepoType type) {
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode(new_path(type), true));
  bool post = c.is_post();
  std::string owner =
      post ? c.field("owner") : QueryParams::parse(c.req.query).get("owner").value_or("");
  std::string kind = kind_name(type);
  mstch::map ctx{{"title", "New " + kind},
                 {"kind", kind},
                 {"action", c.base + std::string(new_path(type))},
                 {"csrf", c.who.session->csrf},
                 {"owners", WHARF_TRY(owner_options(c, owner))},
                 {"licenses", choices(kLicenses, c.field("license"))},
                 {"is_space", type == hub::RepoType::Space},
                 {"sdks", choices(kSdks, c.field("sdk"))},
                 {"name", c.field("name")},
                 {"private", c.field("visibility") == "private"}};
  if (!post) return render_page(c, "new_repo", ctx);
  auto created = [&]() -> Result<storage::RepoRow> {
    return hub::create_repo(c.hub, c.who, WHARF_TRY(params_from_form(c, type)));
  }();
  if (created) return redirect(c, repo_path(hub::id_of(*created)));
  Error e = created.error();
  if (e.status == 500) return fail(e);
  if (e.status == 409)
    e.message = "The " + kind + " " + c.field("owner") + "/" + c.field("name") + " already exists";
  return render_error(c, "new_repo", ctx, e);
}

}  // namespace wharf::web
