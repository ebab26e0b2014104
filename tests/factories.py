import factory
from django.contrib.auth.models import Group

from aftersales.organization.models import CenterMembership, ServiceCenter, User

PASSWORD = "s3cret-pass"


class ServiceCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"مرکز خدمات {n}")
    province = "تهران"
    city = "تهران"
    postal_code = "1345678901"
    phone = "02188776655"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "سارا"
    last_name = "کریمی"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def centers(self, create, extracted, **kwargs):
        for center in extracted or []:
            CenterMembership.objects.create(user=self, center=center)
        self.save()
