//! The cluster a learner starts with, as `kubeadm init` plus two joined workers leave it.
//! Node names follow the kubeadm training clusters learners meet (killercoda, the CKA exam):
//! `controlplane`, `node01`, `node02`, on 172.30.N.2 with pod CIDRs 10.244.N.0/24.

use super::api::{create, Caller};
use super::controllers::runtime::{hex64, image_id, parse_image};
use super::object::{ObjExt, Object};
use super::Cluster;
use crate::value::{json, Value};

pub const KUBE_VERSION: &str = "v1.34.2";
pub const CONTROL_PLANE: &str = "controlplane";
pub const WORKERS: &[&str] = &["node01", "node02"];
const PAUSE: &str = "registry.k8s.io/pause:3.10.1";
const ETCD: &str = "registry.k8s.io/etcd:3.6.4-0";
const COREDNS: &str = "registry.k8s.io/coredns/coredns:v1.12.1";

fn image_entry(image: &str, size: u64) -> Value {
    json!({"names": [image_id(image), parse_image(image).full], "sizeBytes": size})
}

/// The address of node `index` (0 is the control plane).
fn node_ip(index: u32) -> String {
    format!("172.30.{}.2", index + 1)
}

/// The objects that do not depend on the nodes' identities, as data (`bootstrap.json`, with
/// `${IP}`, `${KUBE_VERSION}` and `${COREDNS}` filled in): as `json!` literals they were about
/// 25 KB of wasm code, every key its own insert, where the text brotli-compresses to 2 KB.
fn objects(ip: &str) -> crate::value::Map {
    let text = include_str!("bootstrap.json").replace("${IP}", ip).replace("${KUBE_VERSION}", KUBE_VERSION).replace("${COREDNS}", COREDNS);
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => m,
        _ => crate::value::Map::new(), // a test parses the file, so this is not reached
    }
}

/// A node as a kubeadm-joined kubelet registers it. `index` picks its pod CIDR and address.
pub fn node_object(name: &str, index: u32, control_plane: bool, cpu: &str, memory_ki: u64, now: &str) -> Object {
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    });
    let mut images = vec![image_entry(&format!("registry.k8s.io/kube-proxy:{KUBE_VERSION}"), 30_883_617), image_entry(PAUSE, 320_448), image_entry(COREDNS, 22_384_805)];
    let mut spec = json!({"podCIDR": format!("10.244.{index}.0/24"), "podCIDRs": [format!("10.244.{index}.0/24")]});
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        spec["taints"] = json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
        images.push(image_entry(ETCD, 58_938_593));
        for (c, size) in [("kube-apiserver", 27_063_402u64), ("kube-controller-manager", 22_819_474), ("kube-scheduler", 17_380_510)] {
            images.push(image_entry(&format!("registry.k8s.io/{c}:{KUBE_VERSION}"), size));
        }
    }
    let ip = node_ip(index);
    let alloc_mem = memory_ki.saturating_sub(102_400);
    let cond = |ty: &str, status: &str, reason: &str, msg: &str| {
        json!({"type": ty, "status": status, "reason": reason, "message": msg, "lastHeartbeatTime": now, "lastTransitionTime": now})
    };
    let seed = hex64(name);
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": cpu, "ephemeral-storage": "18556039957", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": format!("{alloc_mem}Ki"), "pods": "110"},
            "capacity": {"cpu": cpu, "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": format!("{memory_ki}Ki"), "pods": "110"},
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "features": {"supplementalGroupsPolicy": true},
            "images": images,
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": format!("{}-{}-{}-{}-{}", &seed[0..8], &seed[8..12], &seed[12..16], &seed[16..20], &seed[20..32]),
                "containerRuntimeVersion": "containerd://2.1.4",
                "kernelVersion": "6.8.0-85-generic",
                "kubeProxyVersion": "",
                "kubeletVersion": KUBE_VERSION,
                "machineID": &seed[32..64],
                "operatingSystem": "linux",
                "osImage": "Ubuntu 24.04.3 LTS",
                "systemUUID": format!("{}-{}-{}-{}-{}", &seed[32..40], &seed[40..44], &seed[44..48], &seed[48..52], &seed[52..64]),
            },
            "runtimeHandlers": [{"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": "runc"}, {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": ""}],
        },
    })
}

/// A control-plane static pod as its mirror pod appears in the API.
fn static_pod(component: &str, node: &Object, image: &str, command: Vec<String>, cpu: &str, port: u16) -> Object {
    let name = format!("{component}-{}", node.name());
    let ip = node.arr_at("status.addresses").first().and_then(|a| a.str_at("address")).unwrap_or("").to_string();
    let mut annotations = json!({
        "kubernetes.io/config.hash": &hex64(&name)[..32],
        "kubernetes.io/config.mirror": &hex64(&name)[..32],
        "kubernetes.io/config.seen": "2026-01-05T09:00:00.000000000Z",
        "kubernetes.io/config.source": "file",
    });
    if component == "kube-apiserver" {
        annotations["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"] = json!(format!("{ip}:6443"));
    }
    if component == "etcd" {
        annotations["kubeadm.kubernetes.io/etcd.advertise-client-urls"] = json!(format!("https://{ip}:2379"));
    }
    let probe_path = if component == "etcd" { "/livez" } else if component == "kube-apiserver" { "/livez" } else { "/healthz" };
    let scheme = if component == "etcd" { "HTTP" } else { "HTTPS" };
    let probe_host = if component == "kube-apiserver" { ip.clone() } else { "127.0.0.1".to_string() };
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": annotations,
            "ownerReferences": [{"apiVersion": "v1", "controller": true, "kind": "Node", "name": node.name(), "uid": node.uid()}],
        },
        "spec": {
            "containers": [{
                "name": component,
                "image": image,
                "imagePullPolicy": "IfNotPresent",
                "command": command,
                "livenessProbe": {"failureThreshold": 8, "httpGet": {"host": probe_host, "path": probe_path, "port": port, "scheme": scheme}, "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 15},
                "resources": {"requests": {"cpu": cpu}},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "hostNetwork": true,
            "nodeName": node.name(),
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 2000001000,
            "priorityClassName": "system-node-critical",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
        },
    })
}

fn flags(bin: &str, f: &[&str]) -> Vec<String> {
    std::iter::once(bin.to_string()).chain(f.iter().map(|s| format!("--{s}"))).collect()
}

fn put(c: &mut Cluster, o: Object) -> Option<Object> {
    create(c, o, Caller::Controller).ok()
}

pub fn bootstrap(c: &mut Cluster) {
    let now = c.clock.timestamp();
    let mut data = objects(&node_ip(0));
    let mut group = |name: &str| match data.remove(name) {
        Some(Value::Array(v)) => v,
        _ => Vec::new(),
    };
    let (namespaces, endpoints, addons) = (group("namespaces"), group("control_plane_endpoints"), group("addons"));
    for ns in namespaces {
        put(c, ns);
    }
    let cp = put(c, node_object(CONTROL_PLANE, 0, true, "2", 4_026_180, &now));
    for (i, w) in WORKERS.iter().enumerate() {
        put(c, node_object(w, i as u32 + 1, false, "2", 4_026_180, &now));
    }
    for n in std::iter::once(CONTROL_PLANE).chain(WORKERS.iter().copied()) {
        let uid = c.store.get_by(super::Kind::Node, "", n).map(|o| o.uid().to_string()).unwrap_or_default();
        put(c, json!({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":n,"namespace":"kube-node-lease",
            "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":n,"uid":uid}]},
            "spec":{"holderIdentity":n,"leaseDurationSeconds":40,"renewTime":"2026-01-05T09:00:00.000000Z"}}));
    }
    if let Some(cp) = cp {
        let ip = node_ip(0);
        let adv = format!("advertise-address={ip}");
        let v = KUBE_VERSION;
        let pods = [
            static_pod("etcd", &cp, ETCD, flags("etcd", &[&format!("advertise-client-urls=https://{ip}:2379"), "cert-file=/etc/kubernetes/pki/etcd/server.crt", "client-cert-auth=true", "data-dir=/var/lib/etcd", &format!("listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"), "name=controlplane"]), "100m", 2381),
            static_pod("kube-apiserver", &cp, &format!("registry.k8s.io/kube-apiserver:{v}"), flags("kube-apiserver", &[&adv, "allow-privileged=true", "authorization-mode=Node,RBAC", "client-ca-file=/etc/kubernetes/pki/ca.crt", "enable-admission-plugins=NodeRestriction", "etcd-servers=https://127.0.0.1:2379", "secure-port=6443", "service-cluster-ip-range=10.96.0.0/12"]), "250m", 6443),
            static_pod("kube-controller-manager", &cp, &format!("registry.k8s.io/kube-controller-manager:{v}"), flags("kube-controller-manager", &["allocate-node-cidrs=true", "cluster-cidr=10.244.0.0/16", "cluster-name=kubernetes", "kubeconfig=/etc/kubernetes/controller-manager.conf", "leader-elect=true", "service-cluster-ip-range=10.96.0.0/12", "use-service-account-credentials=true"]), "200m", 10257),
            static_pod("kube-scheduler", &cp, &format!("registry.k8s.io/kube-scheduler:{v}"), flags("kube-scheduler", &["authentication-kubeconfig=/etc/kubernetes/scheduler.conf", "authorization-kubeconfig=/etc/kubernetes/scheduler.conf", "bind-address=127.0.0.1", "kubeconfig=/etc/kubernetes/scheduler.conf", "leader-elect=true"]), "100m", 10259),
        ];
        for p in pods {
            put(c, p);
        }
        for e in endpoints {
            put(c, e);
        }
    }
    // Services, service accounts, config maps, CoreDNS and kube-proxy. The default StorageClass
    // `standard` comes from network::bootstrap_addons (netstore).
    for o in addons {
        put(c, o);
    }
    super::network::bootstrap_addons(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn bootstrap_data_parses_with_every_placeholder_filled() {
        let data = objects("172.30.1.2");
        let sizes: Vec<(&str, usize)> = data.iter().map(|(k, v)| (k.as_str(), v.as_array().map_or(0, |a| a.len()))).collect();
        assert_eq!(sizes, [("addons", 8), ("control_plane_endpoints", 2), ("namespaces", 4)]);
        let text = serde_json::to_string(&data).unwrap();
        assert!(!text.contains("${"), "a placeholder is left");
        assert!(text.contains("registry.k8s.io/kube-proxy:v1.34.2") && text.contains("\"ip\":\"172.30.1.2\""));
    }
}
