#include <catch2/catch.hpp>
#include <random>

#include "kube/line_splitter.h"
#include "kube/rest_list_watcher.h"
#include "kube/watch_event.h"

using namespace nca::kube;
using nca::Code;
using nca::Status;

namespace {

std::vector<std::string> split_all(const std::string& stream,
                                   const std::vector<std::size_t>& cuts) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  std::size_t pos = 0;
  auto collect = [&](std::string_view l) {
    lines.emplace_back(l);
    return Status::ok();
  };
  for (std::size_t cut : cuts) {
    REQUIRE(splitter.feed(std::string_view(stream).substr(pos, cut - pos), collect).is_ok());
    pos = cut;
  }
  REQUIRE(splitter.feed(std::string_view(stream).substr(pos), collect).is_ok());
  CHECK(splitter.pending() == 0);
  return lines;
}

std::string event_line(const char* type, const std::string& name, const std::string& rv) {
  nlohmann::json j{{"type", type},
                   {"object", {{"metadata", {{"name", name}, {"resourceVersion", rv}}}}}};
  return j.dump() + "\n";
}

}  // namespace

TEST_CASE("lines survive every chunking of the stream") {
  std::string stream = "{\"a\":1}\n{\"b\":\"x\\ny\"}\r\n\n{\"c\":[1,2,3]}\n";
  std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":\"x\\ny\"}", "{\"c\":[1,2,3]}"};
  CHECK(split_all(stream, {}) == expected);
  for (std::size_t i = 0; i <= stream.size(); ++i) {
    for (std::size_t j = i; j <= stream.size(); j += 3) {
      INFO("cuts at " << i << " and " << j);
      CHECK(split_all(stream, {i, j}) == expected);
    }
  }
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < stream.size(); ++i) every_byte.push_back(i);
  CHECK(split_all(stream, every_byte) == expected);
}

TEST_CASE("an incomplete last line is held back, not delivered") {
  LineSplitter splitter;
  int n = 0;
  REQUIRE(splitter
              .feed("{\"a\":1}\n{\"b\"",
                    [&](std::string_view) {
                      ++n;
                      return Status::ok();
                    })
              .is_ok());
  CHECK(n == 1);
  CHECK(splitter.pending() == 4);
}

TEST_CASE("an endless line is an error, not unbounded memory") {
  LineSplitter splitter(16);
  auto ignore = [](std::string_view) { return Status::ok(); };
  CHECK(splitter.feed("0123456789", ignore).is_ok());
  Status s = splitter.feed("0123456789", ignore);
  CHECK(s.code() == Code::kInvalid);
  CHECK(splitter.feed(std::string(40, 'x') + "\n", ignore).code() == Code::kInvalid);
}

TEST_CASE("watch events decode; bad lines are Invalid") {
  auto ev =
      parse_watch_event(R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})");
  REQUIRE(ev);
  CHECK(ev->type == WatchEvent::Type::kBookmark);
  CHECK(ev->object["metadata"]["resourceVersion"] == "9");
  for (const char* bad : {"", "nope", "[]", R"({"type":"ADDED"})", R"({"object":{}})",
                          R"({"type":"WHAT","object":{}})", R"({"type":1,"object":{}})",
                          R"({"type":"ADDED","object":"x"})"}) {
    INFO(bad);
    auto r = parse_watch_event(bad);
    REQUIRE_FALSE(r);
    CHECK(r.status().code() == Code::kInvalid);
  }
}

TEST_CASE("the watch decoder delivers events in order across random chunking") {
  std::string stream;
  for (int i = 0; i < 200; ++i) {
    stream += event_line(i % 3 == 0   ? "ADDED"
                         : i % 3 == 1 ? "MODIFIED"
                                      : "DELETED",
                         "obj-" + std::to_string(i), std::to_string(1000 + i));
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> names;
    WatchDecoder decoder([&](const WatchEvent& ev) {
      names.push_back(ev.object["metadata"]["name"].get<std::string>());
    });
    std::size_t pos = 0;
    while (pos < stream.size()) {
      std::size_t n = std::uniform_int_distribution<std::size_t>(1, 300)(rng);
      REQUIRE(decoder.feed(std::string_view(stream).substr(pos, n)).is_ok());
      pos += n;
    }
    CHECK(decoder.finish().is_ok());
    REQUIRE(names.size() == 200);
    CHECK(names.front() == "obj-0");
    CHECK(names.back() == "obj-199");
  }
}

TEST_CASE("an ERROR event with code 410 ends the watch with Gone") {
  int delivered = 0;
  WatchDecoder decoder([&](const WatchEvent&) { ++delivered; });
  std::string stream =
      event_line("ADDED", "a", "1") +
      R"x({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure",)x"
      R"x("message":"too old resource version: 1 (5)","reason":"Expired","code":410}})x"
      "\n" +
      event_line("ADDED", "b", "6");
  Status s = decoder.feed(stream);
  CHECK(s.code() == Code::kGone);
  CHECK_THAT(s.message(), Catch::Contains("too old resource version"));
  CHECK(delivered == 1);  // nothing after the error
}

TEST_CASE("other ERROR events end the watch with their own code") {
  WatchDecoder decoder([](const WatchEvent&) {});
  Status s = decoder.feed(
      R"({"type":"ERROR","object":{"kind":"Status","code":500,"reason":"InternalError","message":"boom"}})"
      "\n");
  CHECK(s.code() == Code::kUnavailable);
  CHECK_THAT(s.message(), Catch::Contains("boom"));
}

TEST_CASE("a stream cut mid-event is reported by finish") {
  WatchDecoder decoder([](const WatchEvent&) {});
  REQUIRE(decoder.feed(event_line("ADDED", "a", "1") + "{\"type\":\"ADD").is_ok());
  CHECK(decoder.finish().code() == Code::kUnavailable);
}
