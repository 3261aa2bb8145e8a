#include "kube/decode.h"

#include "kube/base64.h"
#include "kube/json_fields.h"

namespace nca::kube {

using nlohmann::json;
namespace f = fields;

namespace {

Status decode_owner_refs(const json& meta, std::vector<OwnerReference>& out) {
  const json* refs = f::member(meta, "ownerReferences");
  if (refs == nullptr) return Status::ok();
  if (!refs->is_array()) return invalid("metadata.ownerReferences: expected array");
  for (std::size_t i = 0; i < refs->size(); ++i) {
    const json& ref = (*refs)[i];
    std::string path = "metadata.ownerReferences[" + std::to_string(i) + "]";
    if (Status s = f::expect_object(ref, path); !s.is_ok()) return s;
    OwnerReference o;
    auto api = f::string_field(ref, "apiVersion", path);
    auto kind = f::string_field(ref, "kind", path);
    auto name = f::string_field(ref, "name", path);
    auto uid = f::string_field(ref, "uid", path);
    auto controller = f::bool_field(ref, "controller", path);
    for (const Status* s :
         {&api.status(), &kind.status(), &name.status(), &uid.status(), &controller.status()}) {
      if (!s->is_ok()) return *s;
    }
    o.api_version = *api;
    o.kind = *kind;
    o.name = *name;
    o.uid = *uid;
    o.controller = *controller;
    out.push_back(std::move(o));
  }
  return Status::ok();
}

// Strict (`warnings` null): any mistyped field is an error. Lenient: only a missing or
// unreadable metadata.name is; every other unreadable field keeps its default and is
// named in `warnings`.
Result<ObjectMeta> meta_of(const json& object, std::vector<std::string>* warnings) {
  if (Status s = f::expect_object(object, "object"); !s.is_ok()) return s;
  const json* meta = f::member(object, "metadata");
  if (meta == nullptr) return invalid("metadata: required field is missing");
  if (Status s = f::expect_object(*meta, "metadata"); !s.is_ok()) return s;
  ObjectMeta m;
  auto name = f::string_field(*meta, "name", "metadata", true);
  if (!name) return name.status();
  m.name = std::move(name).value();
  // Reads one field into `dst`; false (error taken) when strict and it failed.
  Status first_error;
  auto take = [&](auto result, auto& dst) {
    if (result) {
      dst = std::move(result).value();
    } else if (warnings != nullptr) {
      warnings->push_back(result.status().message());
    } else if (first_error.is_ok()) {
      first_error = result.status();
    }
  };
  take(f::string_field(*meta, "namespace", "metadata"), m.namespace_);
  take(f::string_field(*meta, "uid", "metadata"), m.uid);
  take(f::string_field(*meta, "resourceVersion", "metadata"), m.resource_version);
  take(f::time_field(*meta, "creationTimestamp", "metadata"), m.creation_timestamp);
  take(f::time_field(*meta, "deletionTimestamp", "metadata"), m.deletion_timestamp);
  take(f::string_map_field(*meta, "labels", "metadata"), m.labels);
  take(f::string_map_field(*meta, "annotations", "metadata"), m.annotations);
  if (!first_error.is_ok()) return first_error;
  std::vector<OwnerReference> refs;
  if (Status s = decode_owner_refs(*meta, refs); !s.is_ok()) {
    if (warnings == nullptr) return s;
    warnings->push_back(s.message());
  } else {
    m.owner_references = std::move(refs);
  }
  return m;
}

Result<ObjectMeta> meta_of(const json& object) { return meta_of(object, nullptr); }

// The sub-object `key` of `object` ({} when absent); an error when it is not an object.
Result<const json*> section(const json& object, std::string_view key) {
  static const json kEmpty = json::object();
  const json* v = f::member(object, key);
  if (v == nullptr) return &kEmpty;
  if (Status s = f::expect_object(*v, key); !s.is_ok()) return s;
  return v;
}

Status decode_csr_conditions(const json& status, std::vector<CsrCondition>& out) {
  const json* conds = f::member(status, "conditions");
  if (conds == nullptr) return Status::ok();
  if (!conds->is_array()) return invalid("status.conditions: expected array");
  for (std::size_t i = 0; i < conds->size(); ++i) {
    const json& c = (*conds)[i];
    std::string path = "status.conditions[" + std::to_string(i) + "]";
    if (Status s = f::expect_object(c, path); !s.is_ok()) return s;
    CsrCondition cond;
    auto type = f::string_field(c, "type", path, true);
    if (!type) return type.status();
    cond.type = *type;
    auto st = f::string_field(c, "status", path);
    if (!st) return st.status();
    cond.status = *st;
    auto reason = f::string_field(c, "reason", path);
    if (!reason) return reason.status();
    cond.reason = *reason;
    auto message = f::string_field(c, "message", path);
    if (!message) return message.status();
    cond.message = *message;
    auto updated = f::time_field(c, "lastUpdateTime", path);
    if (!updated) return updated.status();
    cond.last_update_time = *updated;
    auto transition = f::time_field(c, "lastTransitionTime", path);
    if (!transition) return transition.status();
    cond.last_transition_time = *transition;
    out.push_back(std::move(cond));
  }
  return Status::ok();
}

Result<CertificateSigningRequest> csr_of(const json& object) {
  CertificateSigningRequest csr;
  auto meta = meta_of(object);
  if (!meta) return meta.status();
  csr.metadata = std::move(meta).value();
  auto spec_r = section(object, "spec");
  if (!spec_r) return spec_r.status();
  const json& spec = **spec_r;

  auto request = f::string_field(spec, "request", "spec", true);
  if (!request) return request.status();
  auto pem = base64_decode(*request);
  if (!pem) return pem.status().annotate("spec.request");
  csr.request_pem = std::move(pem).value();
  auto signer = f::string_field(spec, "signerName", "spec");
  if (!signer) return signer.status();
  csr.signer_name = *signer;
  auto expiration = f::int_field(spec, "expirationSeconds", "spec");
  if (!expiration) return expiration.status();
  csr.expiration_seconds = *expiration;
  auto usages = f::string_list_field(spec, "usages", "spec");
  if (!usages) return usages.status();
  csr.usages = std::move(usages).value();
  auto username = f::string_field(spec, "username", "spec");
  if (!username) return username.status();
  csr.username = *username;
  auto uid = f::string_field(spec, "uid", "spec");
  if (!uid) return uid.status();
  csr.uid_of_requester = *uid;
  auto groups = f::string_list_field(spec, "groups", "spec");
  if (!groups) return groups.status();
  csr.groups = std::move(groups).value();
  if (const json* extra = f::member(spec, "extra"); extra != nullptr) {
    if (!extra->is_object()) return invalid("spec.extra: expected object");
    for (const auto& [k, v] : extra->items()) {
      auto values = f::string_list_field(*extra, k, "spec.extra");
      if (!values) return values.status();
      (void)v;
      csr.extra.emplace(k, std::move(values).value());
    }
  }

  auto status_r = section(object, "status");
  if (!status_r) return status_r.status();
  const json& status = **status_r;
  if (Status s = decode_csr_conditions(status, csr.conditions); !s.is_ok()) return s;
  const json* cert = f::member(status, "certificate");
  if (cert != nullptr) {
    if (!cert->is_string()) return invalid("status.certificate: expected string");
    csr.has_certificate = !cert->get_ref<const std::string&>().empty();
  }
  return csr;
}

// Lenient: a Node is never dropped for one unreadable field (a relist would then forget
// it, and "no such Node" checks would pass for its name). Only metadata.name is required;
// whatever else cannot be read is left out and named in Node::decode_warnings.
// status.daemonEndpoints.kubeletEndpoint.Port (capitalised in the API), or 0.
int kubelet_port_of(const json& status) {
  const json* endpoints = f::member(status, "daemonEndpoints");
  const json* kubelet =
      endpoints && endpoints->is_object() ? f::member(*endpoints, "kubeletEndpoint") : nullptr;
  const json* port = kubelet && kubelet->is_object() ? f::member(*kubelet, "Port") : nullptr;
  if (port == nullptr || !port->is_number_integer()) return 0;
  const auto p = port->get<std::int64_t>();
  return p > 0 && p <= 65535 ? static_cast<int>(p) : 0;
}

Result<Node> node_of(const json& object) {
  Node node;
  auto meta = meta_of(object, &node.decode_warnings);
  if (!meta) return meta.status();
  node.metadata = std::move(meta).value();
  auto& warn = node.decode_warnings;
  auto spec = section(object, "spec");
  if (!spec) {
    warn.push_back(spec.status().message());
  } else {
    if (auto provider = f::string_field(**spec, "providerID", "spec"); provider) {
      node.provider_id = *provider;
    } else {
      warn.push_back(provider.status().message());
    }
    // spec.podCIDRs (spec.podCIDR is its first entry): read leniently, a bad entry never
    // costs the Node its place in the cache.
    if (const json* cidrs = f::member(**spec, "podCIDRs"); cidrs && cidrs->is_array()) {
      for (const json& c : *cidrs) {
        if (c.is_string()) node.pod_cidrs.push_back(c.get<std::string>());
      }
    } else if (const json* one = f::member(**spec, "podCIDR"); one && one->is_string()) {
      node.pod_cidrs.push_back(one->get<std::string>());
    }
  }
  auto status = section(object, "status");
  if (!status) {
    warn.push_back(status.status().message());
    return node;
  }
  node.kubelet_port = kubelet_port_of(**status);
  const json* addrs = f::member(**status, "addresses");
  if (addrs == nullptr) return node;
  if (!addrs->is_array()) {
    warn.push_back(std::string("status.addresses: expected array, got ") + addrs->type_name());
    return node;
  }
  node.addresses.reserve(addrs->size());
  for (std::size_t i = 0; i < addrs->size(); ++i) {
    const json& a = (*addrs)[i];
    std::string path = "status.addresses[" + std::to_string(i) + "]";
    if (Status s = f::expect_object(a, path); !s.is_ok()) {
      warn.push_back(s.message());
      continue;
    }
    auto type = f::string_field(a, "type", path, true);
    auto address = f::string_field(a, "address", path, true);
    if (!type || !address) {
      warn.push_back((!type ? type.status() : address.status()).message());
      continue;
    }
    node.addresses.push_back({*type, *address});
  }
  return node;
}

Result<Lease> lease_of(const json& object) {
  Lease lease;
  auto meta = meta_of(object);
  if (!meta) return meta.status();
  lease.metadata = std::move(meta).value();
  auto spec_r = section(object, "spec");
  if (!spec_r) return spec_r.status();
  const json& spec = **spec_r;
  auto holder = f::string_field(spec, "holderIdentity", "spec");
  if (!holder) return holder.status();
  lease.holder_identity = *holder;
  auto duration = f::int_field(spec, "leaseDurationSeconds", "spec");
  if (!duration) return duration.status();
  if (*duration) {
    if (**duration < 0 || **duration > INT32_MAX)
      return invalid("spec.leaseDurationSeconds: out of range");
    lease.lease_duration_seconds = static_cast<std::int32_t>(**duration);
  }
  auto acquire = f::time_field(spec, "acquireTime", "spec");
  if (!acquire) return acquire.status();
  lease.acquire_time = *acquire;
  auto renew = f::time_field(spec, "renewTime", "spec");
  if (!renew) return renew.status();
  lease.renew_time = *renew;
  auto transitions = f::int_field(spec, "leaseTransitions", "spec");
  if (!transitions) return transitions.status();
  if (*transitions) {
    if (**transitions < 0 || **transitions > INT32_MAX)
      return invalid("spec.leaseTransitions: out of range");
    lease.lease_transitions = static_cast<std::int32_t>(**transitions);
  }
  return lease;
}

Result<ConfigMap> configmap_of(const json& object) {
  ConfigMap cm;
  auto meta = meta_of(object);
  if (!meta) return meta.status();
  cm.metadata = std::move(meta).value();
  auto data = f::string_map_field(object, "data", "");
  if (!data) return data.status();
  cm.data = std::move(data).value();
  return cm;
}

Result<Event> event_of(const json& object) {
  Event ev;
  auto meta = meta_of(object);
  if (!meta) return meta.status();
  ev.metadata = std::move(meta).value();
  auto inv = section(object, "involvedObject");
  if (!inv) return inv.status();
  const json& io = **inv;
  std::pair<const char*, std::string*> ref_fields[] = {
      {"apiVersion", &ev.involved_object.api_version},
      {"kind", &ev.involved_object.kind},
      {"name", &ev.involved_object.name},
      {"namespace", &ev.involved_object.namespace_},
      {"uid", &ev.involved_object.uid},
      {"resourceVersion", &ev.involved_object.resource_version}};
  for (auto& [key, dst] : ref_fields) {
    auto v = f::string_field(io, key, "involvedObject");
    if (!v) return v.status();
    *dst = std::move(v).value();
  }
  std::pair<const char*, std::string*> top[] = {
      {"type", &ev.type}, {"reason", &ev.reason}, {"message", &ev.message}};
  for (auto& [key, dst] : top) {
    auto v = f::string_field(object, key, "");
    if (!v) return v.status();
    *dst = std::move(v).value();
  }
  auto source = section(object, "source");
  if (!source) return source.status();
  auto component = f::string_field(**source, "component", "source");
  if (!component) return component.status();
  ev.source_component = *component;
  auto count = f::int_field(object, "count", "");
  if (!count) return count.status();
  if (*count) {
    if (**count < 0 || **count > INT32_MAX) return invalid("count: out of range");
    ev.count = static_cast<std::int32_t>(**count);
  }
  auto first = f::time_field(object, "firstTimestamp", "");
  if (!first) return first.status();
  ev.first_timestamp = *first;
  auto last = f::time_field(object, "lastTimestamp", "");
  if (!last) return last.status();
  ev.last_timestamp = *last;
  return ev;
}

Result<Unstructured> unstructured_of(const json& object) {
  Unstructured u;
  auto meta = meta_of(object, &u.decode_warnings);
  if (!meta) return meta.status();
  u.metadata = std::move(meta).value();
  // Lenient like Nodes: the inventory decoders judge the rest of the object.
  auto api = f::string_field(object, "apiVersion", "");
  if (api) {
    u.api_version = *api;
  } else {
    u.decode_warnings.push_back(api.status().message());
  }
  auto kind = f::string_field(object, "kind", "");
  if (kind) {
    u.kind = *kind;
  } else {
    u.decode_warnings.push_back(kind.status().message());
  }
  u.object = object;
  return u;
}

// Runs a decoder, prefixing any error with the kind, and turns a stray exception from the
// JSON library (which should not happen: every access is type-checked) into Invalid.
template <typename T, typename Fn>
Result<T> guarded(std::string_view kind, Fn&& fn, const json& object) {
  try {
    Result<T> r = fn(object);
    if (!r) return r.status().annotate(kind);
    return r;
  } catch (const std::exception& e) {
    return invalid(std::string(kind) + ": " + e.what());
  }
}

}  // namespace

Result<ObjectMeta> decode_meta(const json& object) {
  return guarded<ObjectMeta>(
      "object", [](const json& o) { return meta_of(o); }, object);
}

Result<std::string> raw_object_key(const json& object) {
  auto meta = decode_meta(object);
  if (!meta) return meta.status();
  return object_key(*meta);
}

Result<CertificateSigningRequest> decode_csr(const json& object) {
  return guarded<CertificateSigningRequest>("CertificateSigningRequest", csr_of, object);
}
Result<Node> decode_node(const json& object) { return guarded<Node>("Node", node_of, object); }
Result<Lease> decode_lease(const json& object) { return guarded<Lease>("Lease", lease_of, object); }
Result<ConfigMap> decode_configmap(const json& object) {
  return guarded<ConfigMap>("ConfigMap", configmap_of, object);
}
Result<Event> decode_event(const json& object) { return guarded<Event>("Event", event_of, object); }
Result<Unstructured> decode_unstructured(const json& object) {
  return guarded<Unstructured>("object", unstructured_of, object);
}

}  // namespace nca::kube
