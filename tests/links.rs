//! The diagram edges the model computes (`model::links::links`) on a mixed manifest: Service → Pod
//! by selector, Ingress → Service by rule (broken when the Service or port is missing), Pod →
//! ConfigMap/Secret/PVC/ServiceAccount, PVC → PV → StorageClass, binding → subject and role.

use kubelab::manifest;
use kubelab::model::api::{create, Caller};
use kubelab::model::links::{links, Link, LinkKind};
use kubelab::model::{Cluster, Kind};

const MIXED: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {MODE: prod}
---
apiVersion: v1
kind: Secret
metadata: {name: db-pass}
stringData: {password: s3cret}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        envFrom:
        - configMapRef: {name: app-config}
        env:
        - name: DB_PASS
          valueFrom: {secretKeyRef: {name: db-pass, key: password}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: manual-pv}
spec:
  storageClassName: manual
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: manual}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers:
  - name: db
    image: mysql:8
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: missing-cm, key: MODE}}
    - name: OPT
      valueFrom: {configMapKeyRef: {name: optional-cm, key: X, optional: true}}
    volumeMounts: [{name: data, mountPath: /var/lib/mysql}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: data}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ghost}
subjects:
- {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: does-not-exist, apiGroup: rbac.authorization.k8s.io}
"#;

fn cluster() -> Cluster {
    let mut c = Cluster::new();
    for r in manifest::read(MIXED) {
        let intake = r.unwrap_or_else(|e| panic!("{:?}", e.problem));
        create(&mut c, intake.doc.value, Caller::admin()).unwrap_or_else(|e| panic!("{}", e.message));
        c.settle();
    }
    c
}

fn find<'a>(all: &'a [Link], kind: LinkKind, from: &str, target: &str) -> Vec<&'a Link> {
    all.iter().filter(|l| l.kind == kind && &*l.from.name == from && l.target == target).collect()
}

#[test]
fn service_selects_the_deployment_pods() {
    let c = cluster();
    let all = links(&c.store);
    let sel: Vec<&Link> = all.iter().filter(|l| l.kind == LinkKind::Selects && &*l.from.name == "web").collect();
    assert_eq!(sel.len(), 2, "{sel:?}");
    for l in &sel {
        assert!(l.to.as_ref().is_some_and(|k| k.kind == Kind::Pod && k.name.starts_with("web-")));
        assert!(l.reason.starts_with("selector app=web matches labels app=web,pod-template-hash="), "{}", l.reason);
        assert!(!l.broken);
    }
    // The db pod has no app=web label: no edge.
    assert!(all.iter().all(|l| !(l.kind == LinkKind::Selects && l.to.as_ref().is_some_and(|k| &*k.name == "db"))));
}

#[test]
fn ingress_routes_and_broken_backend() {
    let c = cluster();
    let all = links(&c.store);
    let ok = find(&all, LinkKind::Routes, "site", "service/web");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].reason, "rule shop.example.com/ (Prefix) → web:80");
    assert!(!ok[0].broken);
    let bad = find(&all, LinkKind::Routes, "site", "service/api");
    assert_eq!(bad.len(), 1);
    assert!(bad[0].broken && bad[0].to.is_none());
    assert_eq!(bad[0].reason, "rule shop.example.com/api (Prefix) → api:80: services \"api\" not found");
}

#[test]
fn pods_use_config_secrets_claims_and_accounts() {
    let c = cluster();
    let all = links(&c.store);
    let web_pod = all.iter().find(|l| l.kind == LinkKind::Selects && &*l.from.name == "web").and_then(|l| l.to.clone()).unwrap().name;
    let cm = find(&all, LinkKind::Uses, &web_pod, "configmap/app-config");
    assert_eq!((cm.len(), cm[0].broken, cm[0].reason.as_str()), (1, false, "envFrom in container nginx"));
    let sec = find(&all, LinkKind::Uses, &web_pod, "secret/db-pass");
    assert_eq!((sec.len(), sec[0].broken, sec[0].reason.as_str()), (1, false, "env DB_PASS in container nginx"));
    let sa = find(&all, LinkKind::Uses, &web_pod, "serviceaccount/default");
    assert_eq!(sa.len(), 1);
    assert!(!sa[0].broken);
    let missing = find(&all, LinkKind::Uses, "db", "configmap/missing-cm");
    assert!(missing[0].broken);
    assert_eq!(missing[0].reason, "env MODE in container db: configmap \"missing-cm\" not found");
    let optional = find(&all, LinkKind::Uses, "db", "configmap/optional-cm");
    assert!(!optional[0].broken && optional[0].to.is_none());
    let claim = find(&all, LinkKind::Uses, "db", "persistentvolumeclaim/data");
    assert_eq!((claim[0].broken, claim[0].reason.as_str()), (false, "volume claim"));
}

#[test]
fn claim_volume_class_chain() {
    let c = cluster();
    let all = links(&c.store);
    let b = find(&all, LinkKind::BoundTo, "data", "persistentvolume/manual-pv");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].reason, "bound: spec.volumeName manual-pv");
    assert_eq!(find(&all, LinkKind::Class, "data", "storageclass/manual").len(), 1);
    let pv_class = find(&all, LinkKind::Class, "manual-pv", "storageclass/manual");
    assert_eq!((pv_class.len(), pv_class[0].broken), (1, false));
}

#[test]
fn bindings_name_subjects_and_roles_with_rules() {
    let c = cluster();
    let all = links(&c.store);
    let jane = find(&all, LinkKind::Subject, "read-pods", "User jane");
    assert_eq!(jane.len(), 1);
    assert!(!jane[0].broken);
    let robot = find(&all, LinkKind::Subject, "read-pods", "ServiceAccount default/robot");
    assert!(robot[0].broken);
    assert_eq!(robot[0].reason, "subject system:serviceaccount:default:robot: serviceaccount \"robot\" not found in namespace default");
    let grant = find(&all, LinkKind::Grants, "read-pods", "role/pod-reader");
    assert_eq!(grant[0].reason, "roleRef Role/pod-reader in namespace default: get,list pods");
    let ghost = find(&all, LinkKind::Grants, "ghost", "clusterrole/does-not-exist");
    assert!(ghost[0].broken);
    assert_eq!(ghost[0].reason, "roleRef ClusterRole/does-not-exist: clusterroles.rbac.authorization.k8s.io \"does-not-exist\" not found");
    // Default policy: kubeadm's admin group is bound to cluster-admin.
    let admin = find(&all, LinkKind::Grants, "kubeadm:cluster-admins", "clusterrole/cluster-admin");
    assert_eq!(admin[0].reason, "roleRef ClusterRole/cluster-admin: * * (*); * *");
}

#[test]
fn services_select_pods_of_their_own_namespace_by_every_selector_label() {
    let mut c = Cluster::new();
    let text = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: web, tier: fe}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: web, tier: be}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop, labels: {app: web, tier: fe}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: fe}
spec: {selector: {app: web, tier: fe}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: fe, namespace: shop}
spec: {selector: {app: web, tier: fe}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: all, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
"#;
    for r in manifest::read(text) {
        create(&mut c, r.unwrap().doc.value, Caller::admin()).unwrap();
    }
    c.settle();
    let all = links(&c.store);
    let targets = |ns: &str, svc: &str| -> Vec<String> {
        all.iter()
            .filter(|l| l.kind == LinkKind::Selects && &*l.from.namespace == ns && &*l.from.name == svc)
            .map(|l| l.to.as_ref().map(|k| format!("{}/{}", k.namespace, k.name)).unwrap_or_default())
            .collect()
    };
    assert_eq!(targets("default", "fe"), ["default/a"]);
    assert_eq!(targets("shop", "fe"), ["shop/a"]);
    assert_eq!(targets("shop", "all"), ["shop/a"]);
}
