//! The cluster a learner starts with, as `kubeadm init` plus two joined workers leave it.
//! Node names follow the kubeadm training clusters learners meet (killercoda, the CKA exam):
//! `controlplane`, `node01`, `node02`, on 172.30.N.2 with pod CIDRs 10.244.N.0/24.

use super::api::{create, Caller};
use super::controllers::runtime::{hex64, image_id, parse_image};
use super::object::{ObjExt, Object};
use super::Cluster;
use serde_json::{json, Value};

pub const KUBE_VERSION: &str = "v1.34.2";
pub const CONTROL_PLANE: &str = "controlplane";
pub const WORKERS: &[&str] = &["node01", "node02"];
const PAUSE: &str = "registry.k8s.io/pause:3.10.1";
const ETCD: &str = "registry.k8s.io/etcd:3.6.4-0";
const COREDNS: &str = "registry.k8s.io/coredns/coredns:v1.12.1";

fn image_entry(image: &str, size: u64) -> Value {
    json!({"names": [image_id(image), parse_image(image).full], "sizeBytes": size})
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
    let ip = format!("172.30.{}.2", index + 1);
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
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        put(c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":ns,"labels":{"kubernetes.io/metadata.name":ns}},"spec":{"finalizers":["kubernetes"]}}));
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
        let ip = cp.arr_at("status.addresses").first().and_then(|a| a.str_at("address")).unwrap_or("").to_string();
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
        put(c, json!({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"kubernetes","namespace":"default","labels":{"endpointslice.kubernetes.io/skip-mirror":"true"}},
            "subsets":[{"addresses":[{"ip":ip}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]}));
        put(c, json!({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"kubernetes","namespace":"default","labels":{"kubernetes.io/service-name":"kubernetes"}},
            "addressType":"IPv4","endpoints":[{"addresses":[ip],"conditions":{"ready":true}}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]}));
    }
    put(c, json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes","namespace":"default","labels":{"component":"apiserver","provider":"kubernetes"}},
        "spec":{"clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
            "ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":6443}],"sessionAffinity":"None","type":"ClusterIP"}}));
    put(c, json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"kube-dns","namespace":"kube-system",
            "annotations":{"prometheus.io/port":"9153","prometheus.io/scrape":"true"},
            "labels":{"k8s-app":"kube-dns","kubernetes.io/cluster-service":"true","kubernetes.io/name":"CoreDNS"}},
        "spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
            "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53},{"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}],
            "selector":{"k8s-app":"kube-dns"},"sessionAffinity":"None","type":"ClusterIP"}}));
    // The default StorageClass `standard` comes from network::bootstrap_addons (netstore).
    for sa in ["coredns", "kube-proxy"] {
        put(c, json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":sa,"namespace":"kube-system"}}));
    }
    put(c, json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"coredns","namespace":"kube-system"},
        "data":{"Corefile":".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n"}}));
    put(c, json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kube-proxy","namespace":"kube-system","labels":{"app":"kube-proxy"}},
        "data":{"config.conf":"apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: \"\"\n","kubeconfig.conf":"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://172.30.1.2:6443\n  name: default\n"}}));
    put(c, coredns_deployment());
    put(c, kube_proxy_daemonset());
    super::network::bootstrap_addons(c);
}

fn coredns_deployment() -> Object {
    json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"coredns","namespace":"kube-system","labels":{"k8s-app":"kube-dns"}},
        "spec":{"replicas":2,"selector":{"matchLabels":{"k8s-app":"kube-dns"}},
            "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},
            "template":{"metadata":{"labels":{"k8s-app":"kube-dns"}},
                "spec":{"containers":[{"name":"coredns","image":COREDNS,"imagePullPolicy":"IfNotPresent","args":["-conf","/etc/coredns/Corefile"],
                    "ports":[{"containerPort":53,"name":"dns","protocol":"UDP"},{"containerPort":53,"name":"dns-tcp","protocol":"TCP"},{"containerPort":9153,"name":"metrics","protocol":"TCP"}],
                    "resources":{"limits":{"memory":"170Mi"},"requests":{"cpu":"100m","memory":"70Mi"}},
                    "readinessProbe":{"httpGet":{"path":"/ready","port":8181,"scheme":"HTTP"},"periodSeconds":10,"successThreshold":1,"failureThreshold":3,"timeoutSeconds":1},
                    "livenessProbe":{"httpGet":{"path":"/health","port":8080,"scheme":"HTTP"},"initialDelaySeconds":60,"periodSeconds":10,"successThreshold":1,"failureThreshold":5,"timeoutSeconds":5},
                    "volumeMounts":[{"mountPath":"/etc/coredns","name":"config-volume","readOnly":true}]}],
                    "dnsPolicy":"Default","nodeSelector":{"kubernetes.io/os":"linux"},"priorityClassName":"system-cluster-critical","serviceAccountName":"coredns",
                    "tolerations":[{"key":"CriticalAddonsOnly","operator":"Exists"},{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane"}],
                    "volumes":[{"name":"config-volume","configMap":{"name":"coredns","items":[{"key":"Corefile","path":"Corefile"}]}}]}}}})
}

fn kube_proxy_daemonset() -> Object {
    json!({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"kube-proxy","namespace":"kube-system","labels":{"k8s-app":"kube-proxy"}},
        "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}},
            "template":{"metadata":{"labels":{"k8s-app":"kube-proxy"}},
                "spec":{"containers":[{"name":"kube-proxy","image":format!("registry.k8s.io/kube-proxy:{KUBE_VERSION}"),"imagePullPolicy":"IfNotPresent",
                    "command":["/usr/local/bin/kube-proxy","--config=/var/lib/kube-proxy/config.conf","--hostname-override=$(NODE_NAME)"],
                    "env":[{"name":"NODE_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}}],
                    "securityContext":{"privileged":true},
                    "volumeMounts":[{"mountPath":"/var/lib/kube-proxy","name":"kube-proxy"}]}],
                    "hostNetwork":true,"nodeSelector":{"kubernetes.io/os":"linux"},"priorityClassName":"system-node-critical","serviceAccountName":"kube-proxy",
                    "tolerations":[{"operator":"Exists"}],
                    "volumes":[{"name":"kube-proxy","configMap":{"name":"kube-proxy"}}]}}}})
}
