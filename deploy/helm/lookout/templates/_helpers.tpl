{{/* The chart's name, or nameOverride. */}}
{{- define "lookout.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name alone when it already contains the chart's name; fullnameOverride wins. */}}
{{- define "lookout.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "lookout.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "lookout.labels" -}}
app.kubernetes.io/name: {{ include "lookout.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Selector labels of one service's pods: call with (dict "root" $ "service" "watcher"). */}}
{{- define "lookout.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lookout.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/* The ServiceAccount of one service: call with (dict "root" $ "service" "watcher"). */}}
{{- define "lookout.serviceAccountName" -}}
{{- $svc := index .root.Values .service -}}
{{- default (printf "%s-%s" (include "lookout.fullname" .root) .service) $svc.serviceAccountName -}}
{{- end -}}

{{/* Namespace of argocd-notifications-cm and argocd-notifications-secret. */}}
{{- define "lookout.argocdNamespace" -}}
{{- default .Release.Namespace .Values.argocd.namespace -}}
{{- end -}}

{{- define "lookout.rabbitmqClusterName" -}}
{{- default (printf "%s-rabbitmq" (include "lookout.fullname" .)) .Values.rabbitmq.cluster.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The Secret holding the broker URL when the chart does not run the broker: the chart's own (from rabbitmq.url) or yours. */}}
{{- define "lookout.rabbitmqSecret" -}}
{{- if .Values.rabbitmq.url -}}
{{- printf "%s-rabbitmq" (include "lookout.fullname" .) -}}
{{- else -}}
{{- required "rabbitmq: set existingSecret (a Secret holding the amqp:// URL), url, or cluster.enabled" .Values.rabbitmq.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The broker settings every service reads (docs/running.md: Bus:RabbitMq:Url, Username, Password). */}}
{{- define "lookout.rabbitmqEnv" -}}
{{- if .Values.rabbitmq.cluster.enabled -}}
{{- $cluster := include "lookout.rabbitmqClusterName" . -}}
- name: Bus__RabbitMq__Url
  value: {{ printf "amqp://%s.%s.svc:5672/" $cluster .Release.Namespace | quote }}
- name: Bus__RabbitMq__Username
  valueFrom:
    secretKeyRef:
      name: {{ $cluster }}-default-user
      key: username
- name: Bus__RabbitMq__Password
  valueFrom:
    secretKeyRef:
      name: {{ $cluster }}-default-user
      key: password
{{- else -}}
- name: Bus__RabbitMq__Url
  valueFrom:
    secretKeyRef:
      name: {{ include "lookout.rabbitmqSecret" . }}
      key: {{ .Values.rabbitmq.secretKey }}
{{- end -}}
{{- end -}}

{{/* Namespace of argo-rollouts-notification-configmap and argo-rollouts-notification-secret. */}}
{{- define "lookout.rolloutsNamespace" -}}
{{- default .Release.Namespace .Values.rollouts.namespace -}}
{{- end -}}
