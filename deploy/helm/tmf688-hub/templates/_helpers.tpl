{{/* The chart's name, and the release's full name (the Service's, which the ODA manifest names). */}}
{{- define "tmf688-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tmf688-hub.fullname" -}}
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

{{- define "tmf688-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tmf688-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tmf688-hub.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tmf688-hub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tmf688-hub
{{- end }}

{{/* "true" when the hub stores in MongoDB (a URL here or a Secret of the user's); else the embedded store. */}}
{{- define "tmf688-hub.mongodb" -}}
{{- if or .Values.mongodb.url .Values.mongodb.existingSecret }}true{{ end }}
{{- end }}

{{/* Where the clients file is mounted, and so what HUB_CLIENTS_FILE says. */}}
{{- define "tmf688-hub.clientsDir" -}}/etc/tmf688-hub/clients{{- end }}

{{/* HTTPS when the hub serves TLS itself (HUB_TLS_CERT): the probes and the scrape must speak it too. */}}
{{- define "tmf688-hub.scheme" -}}
{{- if .Values.config.HUB_TLS_CERT }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}

{{/*
The chart's own Secret: the credentials given inline, each under the key a Secret of the user's
must use too. A group with an existingSecret contributes nothing here.
*/}}
{{- define "tmf688-hub.secretData" -}}
{{- $v := .Values }}
{{- $data := dict }}
{{- if and $v.mongodb.url (not $v.mongodb.existingSecret) }}{{ $_ := set $data "mongodb-url" $v.mongodb.url }}{{ end }}
{{- if and $v.apiKeys.keys (not $v.apiKeys.existingSecret) }}{{ $_ := set $data "api-keys" $v.apiKeys.keys }}{{ end }}
{{- if not $v.oidc.existingSecret }}
{{- if $v.oidc.issuer }}{{ $_ := set $data "oidc-issuer" $v.oidc.issuer }}{{ end }}
{{- if $v.oidc.audience }}{{ $_ := set $data "oidc-audience" $v.oidc.audience }}{{ end }}
{{- if $v.oidc.clientId }}{{ $_ := set $data "oidc-client-id" $v.oidc.clientId }}{{ end }}
{{- end }}
{{- if not $v.kafka.sasl.existingSecret }}
{{- if $v.kafka.sasl.username }}{{ $_ := set $data "kafka-sasl-username" $v.kafka.sasl.username }}{{ end }}
{{- if $v.kafka.sasl.password }}{{ $_ := set $data "kafka-sasl-password" $v.kafka.sasl.password }}{{ end }}
{{- end }}
{{- if and $v.clients.file (not $v.clients.existingSecret) }}{{ $_ := set $data "clients.yaml" $v.clients.file }}{{ end }}
{{- toYaml $data }}
{{- end }}

{{/*
One variable from a Secret: (list ROOT VARIABLE GROUP-SECRET KEY OPTIONAL). GROUP-SECRET is the user's
Secret of that group, empty for the chart's own.
*/}}
{{- define "tmf688-hub.secretEnv" -}}
{{- $root := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ default (include "tmf688-hub.fullname" $root) (index . 2) }}
      key: {{ index . 3 }}
      {{- if index . 4 }}
      optional: true
      {{- end }}
{{- end }}

{{/*
Refusals at template time, each saying what to do. The hub refuses the same at start; refusing here
keeps a broken release from being installed at all.
*/}}
{{- define "tmf688-hub.validate" -}}
{{- $v := .Values }}
{{- $mongodb := include "tmf688-hub.mongodb" . }}
{{- if and (gt (int $v.replicaCount) 1) (not $mongodb) }}
{{- fail (printf "replicaCount %d needs MongoDB: set mongodb.url or mongodb.existingSecret. The embedded store lives in one process, so without MongoDB every pod would hold its own topics and events" (int $v.replicaCount)) }}
{{- end }}
{{- if and $v.autoscaling.enabled (not $mongodb) }}
{{- fail "autoscaling.enabled needs MongoDB: set mongodb.url or mongodb.existingSecret (the embedded store lives in one process)" }}
{{- end }}
{{- if and (gt (int $v.processes) 1) (not $mongodb) }}
{{- fail (printf "processes %d (HUB_PROCESSES) needs MongoDB: set mongodb.url or mongodb.existingSecret (the embedded store lives in one process)" (int $v.processes)) }}
{{- end }}
{{- if and (or $v.oidc.issuer $v.oidc.audience $v.oidc.clientId) (not $v.oidc.existingSecret) (not (and $v.oidc.issuer $v.oidc.audience)) }}
{{- fail "oidc needs both issuer and audience (HUB_OIDC_ISSUER, HUB_OIDC_AUDIENCE): without an audience a token the issuer made for any other client would be accepted" }}
{{- end }}
{{- if and $v.serviceMonitor.enabled (or $v.serviceMonitor.bearerTokenSecret.name $v.serviceMonitor.bearerTokenSecret.key) (not (and $v.serviceMonitor.bearerTokenSecret.name $v.serviceMonitor.bearerTokenSecret.key)) }}
{{- fail "serviceMonitor.bearerTokenSecret needs both name and key" }}
{{- end }}
{{- if and $v.config.HUB_MQTT_URL (or (gt (int $v.replicaCount) 1) $v.autoscaling.enabled) }}
{{- fail "config.HUB_MQTT_URL cannot be used with more than one pod: each hub process needs an MQTT client id of its own (HUB_MQTT_CLIENT_ID), which one ConfigMap cannot give; run one pod per client id (a release each)" }}
{{- end }}
{{- if eq (toString (default "" $v.config.HUB_TLS_CLIENT_CERT)) "required" }}
{{- fail "config.HUB_TLS_CLIENT_CERT=required would refuse the kubelet's /health and /ready probes at the TLS handshake (they carry no client certificate): use optional, so clients without a certificate use a key or token" }}
{{- end }}
{{- range $v.secretEnv }}
{{- if not (and .name .secretName .key) }}
{{- fail (printf "every secretEnv entry needs name, secretName and key: %v" .) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The container's variables from Secrets: the credential groups, then secretEnv. */}}
{{- define "tmf688-hub.env" -}}
{{- $v := .Values }}
{{- $mongodb := include "tmf688-hub.mongodb" . }}
{{- if $mongodb }}
{{- include "tmf688-hub.secretEnv" (list . "MONGODB_URL" $v.mongodb.existingSecret (ternary $v.mongodb.existingSecretKey "mongodb-url" (not (empty $v.mongodb.existingSecret))) false) | nindent 0 }}
{{- end }}
{{- if or $v.apiKeys.keys $v.apiKeys.existingSecret }}
{{- include "tmf688-hub.secretEnv" (list . "HUB_API_KEYS" $v.apiKeys.existingSecret "api-keys" false) | nindent 0 }}
{{- end }}
{{- if or $v.oidc.issuer $v.oidc.existingSecret }}
{{- include "tmf688-hub.secretEnv" (list . "HUB_OIDC_ISSUER" $v.oidc.existingSecret "oidc-issuer" false) | nindent 0 }}
{{- include "tmf688-hub.secretEnv" (list . "HUB_OIDC_AUDIENCE" $v.oidc.existingSecret "oidc-audience" false) | nindent 0 }}
{{- if or $v.oidc.clientId $v.oidc.existingSecret }}
{{- include "tmf688-hub.secretEnv" (list . "HUB_OIDC_CLIENT_ID" $v.oidc.existingSecret "oidc-client-id" (not (empty $v.oidc.existingSecret))) | nindent 0 }}
{{- end }}
{{- end }}
{{- with $v.kafka.sasl }}
{{- if or .username .existingSecret }}
{{- include "tmf688-hub.secretEnv" (list $ "HUB_KAFKA_SASL_USERNAME" .existingSecret "kafka-sasl-username" false) | nindent 0 }}
{{- end }}
{{- if or .password .existingSecret }}
{{- include "tmf688-hub.secretEnv" (list $ "HUB_KAFKA_SASL_PASSWORD" .existingSecret "kafka-sasl-password" false) | nindent 0 }}
{{- end }}
{{- end }}
{{- range $v.secretEnv }}
{{- include "tmf688-hub.secretEnv" (list $ .name .secretName .key false) | nindent 0 }}
{{- end }}
{{- end }}
