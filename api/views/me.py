from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import GatePermission
from api.retry import RetrySafeMixin


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField(allow_null=True)
    permissions = serializers.ListField(child=serializers.CharField())


class MeView(RetrySafeMixin, APIView):
    """The signed-in user: who the token or session acts as, and what its role may do."""

    permission_classes = [GatePermission]
    serializer_class = MeSerializer

    def required_permission(self):
        return None

    def object_permission(self):
        return None

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role.value if user.role else None,
            "permissions": sorted(user.get_all_permissions()),
        }
        return Response(MeSerializer(data).data)
