{{/* Chart name, possibly overridden. */}}
{{- define "nca.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Base name of every object. A release named after the chart (helm install
node-csr-approver …) gives exactly the names used in deploy/.
*/}}
{{- define "nca.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Namespace of every namespaced object: namespaceOverride, else the release's. */}}
{{- define "nca.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 -}}
{{- end -}}

{{- define "nca.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nca.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "nca.labels" -}}
{{ include "nca.selectorLabels" . }}
app.kubernetes.io/part-of: node-csr-approver
app.kubernetes.io/version: {{ include "nca.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "nca.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "nca.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Image tag: never "latest"; defaults to the chart's appVersion. */}}
{{- define "nca.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{- define "nca.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (include "nca.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "nca.configMapName" -}}
{{- printf "%s-config" (include "nca.fullname" .) -}}
{{- end -}}
