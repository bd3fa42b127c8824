//! Skeleton manifests, one per kind, inserted by the editor's snippet buttons. Shapes follow the
//! examples in the Kubernetes documentation (kubernetes.io/docs/concepts/...), valid for v1.34.

/// (kind, YAML) in the order the buttons show.
pub static SNIPPETS: &[(&str, &str)] = &[
    ("Deployment", "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
"),
    ("Service", "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
"),
    ("Pod", "apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo hello && sleep 3600\"]
"),
    ("ConfigMap", "apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  GREETING: hello
"),
    ("Secret", "apiVersion: v1
kind: Secret
metadata:
  name: web-secret
type: Opaque
stringData:
  password: change-me
"),
    ("Ingress", "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"),
    ("PersistentVolumeClaim", "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
"),
    ("Job", "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(200)\"]
"),
    ("CronJob", "apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: \"* * * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
            command: [\"sh\", \"-c\", \"date; echo Hello\"]
"),
    ("StatefulSet", "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:17
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [\"ReadWriteOnce\"]
      resources:
        requests:
          storage: 1Gi
"),
    ("DaemonSet", "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"sleep 3600\"]
"),
    ("Namespace", "apiVersion: v1
kind: Namespace
metadata:
  name: dev
"),
];

/// The snippet for a kind.
pub fn snippet(kind: &str) -> Option<&'static str> {
    SNIPPETS.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
}
