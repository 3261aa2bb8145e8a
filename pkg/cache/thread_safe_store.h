// ThreadSafeStore<T>: the informer's cache. Objects are held by key ("namespace/name") as
// shared_ptr<const T>: readers get an immutable snapshot of one object that stays valid
// however the store changes later; nobody mutates a cached object (change a copy and
// send it to the API).
//
// Named indexes map an object to index values (IndexFunc); by_index(name, value) returns
// every object with that value. Indexes are kept in step with every write.
//
// Thread-safety: all methods are safe from any thread; reads share a lock, writes are
// exclusive. replace() swaps the whole content at once, so readers see either the old
// or the new list, never a mix. Index functions run under the write lock: they must be
// pure, quick and must not call back into the store.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace nca::cache {

template <typename T>
class ThreadSafeStore {
 public:
  using Ptr = std::shared_ptr<const T>;
  using IndexFunc = std::function<std::vector<std::string>(const T&)>;
  using Items = std::unordered_map<std::string, Ptr>;

  // Adds an index and indexes what is already stored. Invalid if the name is taken.
  Status add_index(const std::string& name, IndexFunc fn) {
    std::unique_lock lock(mu_);
    if (indexers_.count(name) != 0) return invalid("index " + name + " already exists");
    auto& index = indices_[name];
    for (const auto& [key, obj] : items_) {
      for (auto& v : fn(*obj)) index[std::move(v)].insert(key);
    }
    indexers_.emplace(name, std::move(fn));
    return Status::ok();
  }

  // Inserts or replaces the object at `key`; returns the previous one (or null).
  Ptr upsert(const std::string& key, Ptr obj) {
    std::unique_lock lock(mu_);
    Ptr old;
    if (auto it = items_.find(key); it != items_.end()) {
      old = std::move(it->second);
      unindex(key, *old);
      it->second = obj;
    } else {
      items_.emplace(key, obj);
    }
    index(key, *obj);
    return old;
  }

  // Removes `key`; returns what was there (or null).
  Ptr remove(const std::string& key) {
    std::unique_lock lock(mu_);
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    Ptr old = std::move(it->second);
    items_.erase(it);
    unindex(key, *old);
    return old;
  }

  // Swaps in a whole new content (after a list); returns the old content.
  Items replace(Items items) {
    std::unordered_map<std::string, std::unordered_map<std::string, std::set<std::string>>> fresh;
    std::unique_lock lock(mu_);
    for (const auto& [name, fn] : indexers_) {
      auto& index = fresh[name];
      for (const auto& [key, obj] : items) {
        for (auto& v : fn(*obj)) index[std::move(v)].insert(key);
      }
    }
    indices_.clear();
    for (auto& [name, index] : fresh) indices_[name] = std::move(index);
    items_.swap(items);
    return items;
  }

  Ptr get(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = items_.find(key);
    return it == items_.end() ? nullptr : it->second;
  }

  std::vector<Ptr> list() const {
    std::shared_lock lock(mu_);
    std::vector<Ptr> out;
    out.reserve(items_.size());
    for (const auto& [key, obj] : items_) out.push_back(obj);
    return out;
  }

  std::vector<std::string> keys() const {
    std::shared_lock lock(mu_);
    std::vector<std::string> out;
    out.reserve(items_.size());
    for (const auto& [key, obj] : items_) out.push_back(key);
    return out;
  }

  std::size_t size() const {
    std::shared_lock lock(mu_);
    return items_.size();
  }

  // Objects whose index `name` yields `value`, in key order. NotFound for an unknown index.
  Result<std::vector<Ptr>> by_index(const std::string& name, const std::string& value) const {
    std::shared_lock lock(mu_);
    auto idx = indices_.find(name);
    if (idx == indices_.end()) return not_found("no index named " + name);
    std::vector<Ptr> out;
    if (auto keys = idx->second.find(value); keys != idx->second.end()) {
      for (const auto& key : keys->second) out.push_back(items_.at(key));
    }
    return out;
  }

  // Keys whose index `name` yields `value`, sorted. NotFound for an unknown index.
  Result<std::vector<std::string>> index_keys(const std::string& name,
                                              const std::string& value) const {
    std::shared_lock lock(mu_);
    auto idx = indices_.find(name);
    if (idx == indices_.end()) return not_found("no index named " + name);
    auto keys = idx->second.find(value);
    if (keys == idx->second.end()) return std::vector<std::string>{};
    return std::vector<std::string>(keys->second.begin(), keys->second.end());
  }

 private:
  void index(const std::string& key, const T& obj) {
    for (const auto& [name, fn] : indexers_) {
      auto& index = indices_[name];
      for (auto& v : fn(obj)) index[std::move(v)].insert(key);
    }
  }
  void unindex(const std::string& key, const T& obj) {
    for (const auto& [name, fn] : indexers_) {
      auto& index = indices_[name];
      for (const auto& v : fn(obj)) {
        auto it = index.find(v);
        if (it == index.end()) continue;
        it->second.erase(key);
        if (it->second.empty()) index.erase(it);  // no empty buckets left behind
      }
    }
  }

  mutable std::shared_mutex mu_;
  Items items_;
  std::map<std::string, IndexFunc> indexers_;
  // index name -> index value -> keys
  std::map<std::string, std::unordered_map<std::string, std::set<std::string>>> indices_;
};

}  // namespace nca::cache
