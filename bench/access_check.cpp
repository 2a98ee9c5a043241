// Micro-benchmark of the permission check (issue 4: "how long the permission check takes per
// request"). A temporary data dir holds 1,000 repos of an organization of 50 members (a
// third private, a third gated), a gated access request and a fine-grained token; each case
// calls hub::check_repo_access N times on a repo row already loaded, as open_repo does.
// Baseline in the same run: one indexed SELECT of a user by id through storage::Db
// (find_user_by_id), so the figures read as "this many primary-key lookups".
// Figures, not pass/fail. Usage: wharf_bench_access [N]   (default 200000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "hub/access.h"
#include "hub/hub.h"
#include "hub/identity.h"
#include "storage/gitstore.h"
#include "util/crypto.h"
#include "util/time.h"

using namespace wharf;

namespace {

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "bench setup failed (%s): %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

void must_void(Result<void> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "bench setup failed (%s): %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

// Nanoseconds per call of `op` over `n` calls, after a warm-up. `op` returns whether the
// outcome was the expected one; a wrong outcome aborts (the case would measure nothing).
double time_ns(const char* name, long n, const std::function<bool()>& op) {
  for (int i = 0; i < 1000; ++i)
    if (!op()) {
      std::fprintf(stderr, "case '%s' gave an unexpected outcome\n", name);
      std::exit(1);
    }
  long ok = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) ok += op();
  auto t1 = std::chrono::steady_clock::now();
  if (ok != n) {
    std::fprintf(stderr, "case '%s': %ld unexpected outcomes\n", name, n - ok);
    std::exit(1);
  }
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 200000;
  if (n <= 0) n = 200000;
  char tmpl[] = "/tmp/wharf-bench-access-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  std::string dir = tmpl;
  {
    storage::GitLibrary git;
    hub::HubOptions ho;
    ho.data_dir = dir;
    auto hub = must(hub::Hub::open(ho), "open hub");
    auto& db = hub->db();
    int64_t now = now_ms();

    auto member = must(db.create_user("member", "member", "", false, now), "member");
    auto outsider = must(db.create_user("outsider", "outsider", "", false, now), "outsider");
    auto org = must(db.create_org("acme", "Acme", now), "org");
    must_void(db.put_membership(org.id, member.id, "write", now), "membership");
    for (int i = 0; i < 49; ++i) {
      auto u = must(db.create_user("m" + std::to_string(i), "", "", false, now), "user");
      must_void(db.put_membership(org.id, u.id, i % 4 == 0 ? "admin" : "read", now), "membership");
    }
    std::vector<storage::RepoRow> repos;
    for (int i = 0; i < 1000; ++i) {
      storage::RepoRow row;
      char oid[25];
      std::snprintf(oid, sizeof oid, "%024x", i + 1);
      row.object_id = oid;
      row.type = "model";
      row.ns = "acme";
      row.name = "repo-" + std::to_string(i);
      row.is_private = i % 3 == 0;
      row.gated = i % 3 == 1 ? "manual" : "";
      row.created_ms = row.last_modified_ms = now;
      repos.push_back(must(db.insert_repo(row), "repo"));
    }
    const auto& private_repo = repos[501];  // 501 % 3 == 0
    const auto& gated_repo = repos[502];    // 502 % 3 == 1
    const auto& public_repo = repos[503];
    for (int i = 1; i < 1000; i += 30)
      must_void(db.put_access_request(repos[i].id, outsider.id, "pending", "", "", now),
                "access request");
    must_void(db.put_access_request(gated_repo.id, outsider.id, "accepted", "", "", now), "access request");

    // A fine-grained token of the member: scopes on other repos first, the matching one last.
    std::vector<storage::TokenScope> scopes;
    for (int i = 0; i < 4; ++i) scopes.push_back({"model", "acme/repo-" + std::to_string(i), {"repo.content.read"}});
    scopes.push_back({"model", "acme/" + private_repo.name, {"repo.content.read", "repo.write"}});
    std::string secret = "hf_benchfinegrainedtoken0000000000000";
    auto token = must(db.create_token(member.id, "bench", "fineGrained", sha256_hex(secret), now, 0, scopes), "token");

    hub::Identity anonymous;
    hub::Identity as_member;
    as_member.user = member;
    hub::Identity as_outsider;
    as_outsider.user = outsider;
    hub::Identity fine;
    fine.user = member;
    fine.token = token;

    using hub::Access;
    auto& h = *hub;
    auto allowed = [&h](const hub::Identity& who, const storage::RepoRow& repo, Access a) {
      return static_cast<bool>(hub::check_repo_access(h, who, repo, a));
    };
    auto refused = [&h](const hub::Identity& who, const storage::RepoRow& repo, Access a, int status) {
      auto r = hub::check_repo_access(h, who, repo, a);
      return !r && r.error().status == status;
    };

    double base = time_ns("baseline", n, [&] {
      auto u = db.find_user_by_id(member.id);
      return u && u->has_value();
    });
    struct Case {
      const char* name;
      std::function<bool()> op;
    };
    std::vector<Case> cases = {
        {"public repo, anonymous (Read)", [&] { return allowed(anonymous, public_repo, Access::Read); }},
        {"private repo, org member (Content)", [&] { return allowed(as_member, private_repo, Access::Content); }},
        {"private repo, outsider (-> 404)", [&] { return refused(as_outsider, private_repo, Access::Read, 404); }},
        {"gated repo, accepted request (Content)", [&] { return allowed(as_outsider, gated_repo, Access::Content); }},
        {"private repo, fine-grained token (Write)", [&] { return allowed(fine, private_repo, Access::Write); }},
        {"authenticate (token lookup + user)", [&] {
           auto who = hub::authenticate(h, "Bearer " + secret);
           return who && who->user.has_value();
         }},
    };
    std::printf("permission check: hub::check_repo_access, N=%ld calls per case; 1,000 repos, org of 50 members\n", n);
    std::printf("  %-44s %9.0f ns/op\n", "baseline: Db::find_user_by_id (1 SELECT)", base);
    for (const auto& c : cases) {
      double ns = time_ns(c.name, n, c.op);
      std::printf("  %-44s %9.0f ns/op  (%.2fx the baseline)\n", c.name, ns, ns / base);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
