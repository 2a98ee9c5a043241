#include "storage/blobstore.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "util/crypto.h"

namespace wharf::storage {
namespace {

namespace fs = std::filesystem;

// Hands out its bytes in reads of irregular sizes, as a network body does.
class ChoppySource : public ByteSource {
 public:
  explicit ChoppySource(std::string data) : data_(std::move(data)) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = std::min({n, data_.size() - pos_, sizes_[turn_++ % 4]});
    data_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
  std::size_t turn_ = 0;
  std::size_t sizes_[4] = {1, 4096, 70001, 1 << 20};
};

// Delivers `good` bytes, then fails as a client that disconnected would.
class DisconnectingSource : public ByteSource {
 public:
  explicit DisconnectingSource(std::string good) : good_(std::move(good)) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    if (pos_ == good_.size()) return fail(errors::bad_request("client disconnected"));
    std::size_t k = std::min(n, good_.size() - pos_);
    good_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string good_;
  std::size_t pos_ = 0;
};

// An endless stream of 'x' that counts what was asked of it.
class EndlessSource : public ByteSource {
 public:
  Result<std::size_t> read(char* buf, std::size_t n) override {
    std::fill_n(buf, n, 'x');
    delivered += n;
    return n;
  }
  uint64_t delivered = 0;
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen());
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "wharf-blob-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = BlobStore::open(dir_ + "/data");
    ASSERT_TRUE(store.has_value());
    store_.emplace(std::move(*store));
  }
  void TearDown() override { fs::remove_all(dir_); }

  BlobStore& store() { return *store_; }
  std::vector<std::string> tmp_files() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ + "/data/tmp")) {
      names.push_back(e.path().filename().string());
    }
    return names;
  }
  std::size_t lfs_file_count() {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_ + "/data/lfs")) {
      n += e.is_regular_file();
    }
    return n;
  }
  Result<void> put(const std::string& data) {
    StringSource src(data);
    return store().put(sha256_hex(data), data.size(), src);
  }
  StoredPart part(const std::string& id, int number, const std::string& data) {
    StringSource src(data);
    auto p = store().put_part(id, number, data.size(), src);
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
    return p ? *p : StoredPart{};
  }

  std::string dir_;
  std::optional<BlobStore> store_;
};

TEST_F(BlobStoreTest, OpenCreatesLfsAndTmpDirs) {
  EXPECT_TRUE(fs::is_directory(dir_ + "/data/lfs"));
  EXPECT_TRUE(fs::is_directory(dir_ + "/data/tmp"));
  EXPECT_EQ(store().root(), dir_ + "/data");
}

TEST_F(BlobStoreTest, PutStoresBytesUnderFanOutPath) {
  std::string data = "hello lfs";
  std::string oid = sha256_hex(data);
  ASSERT_TRUE(put(data).has_value());
  std::string expected_path =
      dir_ + "/data/lfs/" + oid.substr(0, 2) + "/" + oid.substr(2, 2) + "/" + oid;
  EXPECT_EQ(store().path_of(oid), expected_path);
  EXPECT_EQ(read_file(expected_path), data);
  EXPECT_TRUE(store().exists(oid));
  EXPECT_EQ(store().size(oid), data.size());
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutStreamsLargeObjectDeliveredInIrregularReads) {
  std::string data = random_bytes((3 << 20) + 12345, 1);
  ChoppySource src(data);
  std::string oid = sha256_hex(data);
  ASSERT_TRUE(store().put(oid, data.size(), src).has_value());
  EXPECT_EQ(read_file(store().path_of(oid)), data);
}

TEST_F(BlobStoreTest, PutAcceptsEmptyObject) {
  ASSERT_TRUE(put("").has_value());
  EXPECT_EQ(store().size(sha256_hex("")), 0u);
}

TEST_F(BlobStoreTest, PutRejectsHashMismatchAndKeepsNothing) {
  StringSource src("actual bytes");
  std::string oid = sha256_hex("other bytes!");
  auto r = store().put(oid, 12, src);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().code, "BadRequest");
  EXPECT_FALSE(store().exists(oid));
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutRejectsShortBodyAndKeepsNothing) {
  std::string data = "short";
  StringSource src(data);
  auto r = store().put(sha256_hex(data), data.size() + 1, src);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutStopsReadingAsSoonAsBodyExceedsDeclaredSize) {
  EndlessSource src;
  auto r = store().put(std::string(64, 'a'), 5000, src);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(src.delivered, 5001u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutKeepsNothingWhenClientDisconnects) {
  std::string data = random_bytes(2 << 20, 2);
  DisconnectingSource src(data.substr(0, 1500000));
  auto r = store().put(sha256_hex(data), data.size(), src);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "client disconnected");
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutRejectsMalformedOid) {
  for (std::string oid : {std::string(64, 'A'), std::string(63, 'a'), std::string("../../etc"),
                          std::string(62, 'a') + "/x"}) {
    StringSource src("x");
    auto r = store().put(oid, 1, src);
    ASSERT_FALSE(r.has_value()) << oid;
    EXPECT_EQ(r.error().status, 400);
  }
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutOfExistingObjectStillVerifiesBytesAndKeepsTheOriginal) {
  std::string data = "original";
  std::string oid = sha256_hex(data);
  ASSERT_TRUE(put(data).has_value());
  StringSource wrong("forgery!");
  EXPECT_EQ(store().put(oid, data.size(), wrong).error().status, 400);
  ASSERT_TRUE(put(data).has_value());
  EXPECT_EQ(read_file(store().path_of(oid)), data);
  EXPECT_EQ(lfs_file_count(), 1u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, ConcurrentPutsOfOneObjectAllSucceed) {
  std::string data = random_bytes(300000, 3);
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] { ok += put(data).has_value(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(read_file(store().path_of(sha256_hex(data))), data);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, OpenBlobReadsAtOffsetsAndReturnsZeroAtEnd) {
  std::string data = "0123456789";
  ASSERT_TRUE(put(data).has_value());
  auto blob = store().open_blob(sha256_hex(data));
  ASSERT_TRUE(blob.has_value());
  EXPECT_EQ(blob->size(), 10u);
  char buf[16];
  EXPECT_EQ(*blob->pread(buf, 4, 3), 4u);
  EXPECT_EQ(std::string(buf, 4), "3456");
  EXPECT_EQ(*blob->pread(buf, 16, 8), 2u);
  EXPECT_EQ(std::string(buf, 2), "89");
  EXPECT_EQ(*blob->pread(buf, 16, 10), 0u);
}

TEST_F(BlobStoreTest, MovedBlobFileKeepsItsDescriptorOpen) {
  ASSERT_TRUE(put("abc").has_value());
  auto blob = store().open_blob(sha256_hex("abc"));
  ASSERT_TRUE(blob.has_value());
  BlobFile moved(std::move(*blob));
  char buf[3];
  EXPECT_EQ(*moved.pread(buf, 3, 0), 3u);
  EXPECT_EQ(std::string(buf, 3), "abc");
}

TEST_F(BlobStoreTest, OpenBlobOfMissingObjectIsNotFound) {
  auto blob = store().open_blob(std::string(64, 'e'));
  ASSERT_FALSE(blob.has_value());
  EXPECT_EQ(blob.error().status, 404);
  EXPECT_EQ(store().open_blob("../../wharf.db").error().status, 404);
  EXPECT_FALSE(store().exists(std::string(64, 'e')));
  EXPECT_EQ(store().size(std::string(64, 'e')), std::nullopt);
}

TEST_F(BlobStoreTest, RemoveDeletesTheObjectAndIgnoresMissingOnes) {
  ASSERT_TRUE(put("gone soon").has_value());
  std::string oid = sha256_hex("gone soon");
  store().remove(oid);
  EXPECT_FALSE(store().exists(oid));
  store().remove(oid);
  EXPECT_EQ(lfs_file_count(), 0u);
}

TEST_F(BlobStoreTest, MultipartConcatenatesPartsInOrder) {
  std::string a = random_bytes(1000, 4), b = random_bytes(1000, 5), c = "tail";
  std::vector<StoredPart> parts = {part("up1", 1, a), part("up1", 2, b), part("up1", 3, c)};
  EXPECT_EQ(parts[0].etag, sha256_hex(a));
  EXPECT_EQ(parts[2].size, 4u);
  EXPECT_EQ(parts[1].number, 2);
  std::string whole = a + b + c;
  ASSERT_TRUE(
      store().complete_multipart("up1", sha256_hex(whole), whole.size(), parts).has_value());
  EXPECT_EQ(read_file(store().path_of(sha256_hex(whole))), whole);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, MultipartAcceptsQuotedEtags) {
  auto p = part("up1", 1, "data");
  p.etag = "\"" + p.etag + "\"";
  EXPECT_TRUE(store().complete_multipart("up1", sha256_hex("data"), 4, {p}).has_value());
}

TEST_F(BlobStoreTest, PutPartReplacesAnEarlierUploadOfThatPart) {
  part("up1", 1, "first try");
  auto p = part("up1", 1, "second");
  ASSERT_TRUE(store().complete_multipart("up1", sha256_hex("second"), 6, {p}).has_value());
  EXPECT_TRUE(store().exists(sha256_hex("second")));
}

TEST_F(BlobStoreTest, PutPartRejectsIdsThatCouldEscapeTmpAndBadPartNumbers) {
  for (std::string id :
       std::vector<std::string>{"", "../x", "a-b", "a/b", "a.b", std::string(200, 'a')}) {
    StringSource src("x");
    EXPECT_EQ(store().put_part(id, 1, 10, src).error().status, 400) << id;
  }
  for (int number : {0, -1, 10001}) {
    StringSource src("x");
    EXPECT_EQ(store().put_part("ok", number, 10, src).error().status, 400) << number;
  }
  StringSource src("x");
  EXPECT_TRUE(store().put_part("ok", 10000, 10, src).has_value());
}

TEST_F(BlobStoreTest, PutPartRejectsPartLargerThanItsLimitAndKeepsNothing) {
  StringSource src("eleven byte");
  auto r = store().put_part("up1", 1, 10, src);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, PutPartKeepsNothingWhenClientDisconnects) {
  DisconnectingSource src("partial");
  EXPECT_FALSE(store().put_part("up1", 1, 100, src).has_value());
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, CompleteRejectsWrongEtagAndRemovesParts) {
  auto p1 = part("up1", 1, "aaaa");
  auto p2 = part("up1", 2, "bbbb");
  p2.etag = sha256_hex("cccc");
  auto r = store().complete_multipart("up1", sha256_hex("aaaabbbb"), 8, {p1, p2});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, CompleteRejectsMissingPartAndRemovesParts) {
  auto p1 = part("up1", 1, "aaaa");
  StoredPart p2{2, sha256_hex("bbbb"), 4};
  auto r = store().complete_multipart("up1", sha256_hex("aaaabbbb"), 8, {p1, p2});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_NE(r.error().message.find("Part 2"), std::string::npos);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, CompleteRejectsPartsOutOfOrder) {
  auto p1 = part("up1", 1, "aaaa");
  auto p2 = part("up1", 2, "bbbb");
  auto r = store().complete_multipart("up1", sha256_hex("bbbbaaaa"), 8, {p2, p1});
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(lfs_file_count(), 0u);
}

TEST_F(BlobStoreTest, CompleteRejectsHashMismatchAndKeepsNothing) {
  auto p1 = part("up1", 1, "aaaa");
  auto r = store().complete_multipart("up1", sha256_hex("zzzz"), 4, {p1});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, CompleteRejectsPartsLongerThanTheDeclaredSize) {
  auto p1 = part("up1", 1, "aaaa");
  auto p2 = part("up1", 2, "bbbb");
  auto r = store().complete_multipart("up1", sha256_hex("aaaabb"), 6, {p1, p2});
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(lfs_file_count(), 0u);
  EXPECT_TRUE(tmp_files().empty());
}

TEST_F(BlobStoreTest, CompleteRejectsPartOfUnexpectedSize) {
  auto p1 = part("up1", 1, "aaaa");
  p1.size = 5;
  EXPECT_EQ(store().complete_multipart("up1", sha256_hex("aaaa"), 4, {p1}).error().status, 400);
}

TEST_F(BlobStoreTest, AbortRemovesOnlyThatUploadsParts) {
  part("abc", 1, "x");
  part("abc", 2, "y");
  part("abcd", 1, "z");
  store().abort_multipart("abc");
  EXPECT_EQ(tmp_files(), std::vector<std::string>{"mp-abcd-1"});
}

TEST_F(BlobStoreTest, SweepTmpRemovesOnlyFilesOlderThanMaxAge) {
  std::string old_path = dir_ + "/data/tmp/up-crashed";
  std::string new_path = dir_ + "/data/tmp/up-active";
  std::ofstream(old_path) << "left by a crash";
  std::ofstream(new_path) << "being written";
  struct timeval old_times[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(utimes(old_path.c_str(), old_times), 0);
  store().sweep_tmp(3600 * 1000);
  EXPECT_EQ(tmp_files(), std::vector<std::string>{"up-active"});
}

}  // namespace
}  // namespace wharf::storage
