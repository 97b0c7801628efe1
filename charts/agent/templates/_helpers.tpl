{{/*
Chart name, truncated to 63 characters (a DNS label).
*/}}
{{- define "flotilla-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects: fullnameOverride, or the release name when it already contains the chart
name, or <release>-<chart>; truncated to 63 characters.
*/}}
{{- define "flotilla-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "flotilla-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: stable for the life of a release (a Deployment's selector is immutable).
*/}}
{{- define "flotilla-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Standard labels of every object.
*/}}
{{- define "flotilla-agent.labels" -}}
helm.sh/chart: {{ include "flotilla-agent.chart" . }}
{{ include "flotilla-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: flotilla
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Service account the agent runs as.
*/}}
{{- define "flotilla-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flotilla-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image: repository@digest when a digest is given, else repository:tag (tag defaults to appVersion).
*/}}
{{- define "flotilla-agent.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret the chart creates for `registrationToken`. */}}
{{- define "flotilla-agent.tokenSecretName" -}}
{{- printf "%s-registration-token" (include "flotilla-agent.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the ConfigMap the chart creates for an inline `hub.ca`. */}}
{{- define "flotilla-agent.caConfigMapName" -}}
{{- printf "%s-hub-ca" (include "flotilla-agent.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The registration token Secret of a previous release, if any (for upgrades that do not pass the token again).
`lookup` returns an empty map under `helm template` and `--dry-run=client`.
*/}}
{{- define "flotilla-agent.previousToken" -}}
{{- $previous := lookup "v1" "Secret" .Release.Namespace (include "flotilla-agent.tokenSecretName" .) }}
{{- dig "data" "token" "" $previous }}
{{- end }}

{{/*
FLOTILLA_CLUSTER_LABELS: `k=v,k2=v2`, sorted by key.
*/}}
{{- define "flotilla-agent.clusterLabels" -}}
{{- $pairs := list }}
{{- range $key := keys .Values.labels | sortAlpha }}
{{- $pairs = append $pairs (printf "%s=%s" $key (index $.Values.labels $key)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/*
Environment variables the chart sets; `extraEnv` may not override them.
*/}}
{{- define "flotilla-agent.reservedEnv" -}}
FLOTILLA_HUB_ADDRESS FLOTILLA_HUB_CA_FILE FLOTILLA_HUB_INSECURE FLOTILLA_REGISTRATION_TOKEN FLOTILLA_REGISTRATION_TOKEN_FILE FLOTILLA_CLUSTER_NAME FLOTILLA_CLUSTER_LABELS FLOTILLA_AGENT_NAMESPACE FLOTILLA_NAMESPACES FLOTILLA_LOG_LEVEL FLOTILLA_PROBE_PORT
{{- end }}

{{/*
Checks across values that the schema cannot express with a clear message. Every message names the value to set.
*/}}
{{- define "flotilla-agent.validate" -}}
{{- if not .Values.hub.address }}
{{- fail "hub.address is required: the host:port of the Flotilla hub's gRPC endpoint, e.g. --set hub.address=hub.example.com:8443" }}
{{- end }}
{{- $caSources := list }}
{{- if .Values.hub.ca }}{{ $caSources = append $caSources "hub.ca" }}{{ end }}
{{- if .Values.hub.caSecret }}{{ $caSources = append $caSources "hub.caSecret" }}{{ end }}
{{- if .Values.hub.caConfigMap }}{{ $caSources = append $caSources "hub.caConfigMap" }}{{ end }}
{{- if gt (len $caSources) 1 }}
{{- fail (printf "set only one of hub.ca, hub.caSecret and hub.caConfigMap (got %s)" (join ", " $caSources)) }}
{{- end }}
{{- if and .Values.hub.insecure $caSources }}
{{- fail (printf "hub.insecure=true cannot be combined with %s: choose TLS with a CA or plain text" (first $caSources)) }}
{{- end }}
{{- $token := trim .Values.registrationToken }}
{{- if and $token .Values.existingTokenSecret }}
{{- fail "set either registrationToken or existingTokenSecret, not both" }}
{{- end }}
{{- if and .Release.IsInstall (not $token) (not .Values.existingTokenSecret) }}
{{- fail "a registration token is required to join the cluster: --set registrationToken=<token from the hub> (or --set-file registrationToken=token.txt), or --set existingTokenSecret=<Secret with the token under the key 'token'>" }}
{{- end }}
{{- if .Values.rbac.namespaced }}
{{- if not .Values.rbac.namespaces }}
{{- fail "rbac.namespaced=true requires at least one namespace in rbac.namespaces, e.g. --set 'rbac.namespaces={team-a,team-b}'" }}
{{- end }}
{{- else if .Values.rbac.namespaces }}
{{- fail (printf "rbac.namespaces is set (%s) but rbac.namespaced is false, which would grant cluster-wide rights: set rbac.namespaced=true, or remove rbac.namespaces" (join "," .Values.rbac.namespaces)) }}
{{- end }}
{{- $reserved := splitList " " (include "flotilla-agent.reservedEnv" .) }}
{{- range $i, $env := .Values.extraEnv }}
{{- if has $env.name $reserved }}
{{- fail (printf "extraEnv[%d]: %s is set by the chart from its values; use them instead (see the chart README)" $i $env.name) }}
{{- end }}
{{- end }}
{{- end }}
